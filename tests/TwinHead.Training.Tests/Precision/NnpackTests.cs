using TwinHead.Training.Precision;
using static TorchSharp.torch;

namespace TwinHead.Training.Tests.Precision;

public class NnpackTests
{
    [Fact]
    public void Libtorch_reports_nnpack_off_and_convolutions_still_run()
    {
        Assert.True(Nnpack.Disable());
        Assert.True(Nnpack.Disable());
        // A float32 inference batch of 16: the case libtorch would have tried NNPACK for.
        using var scope = NewDisposeScope();
        using var conv = nn.Conv2d(3, 8, 3);
        using (no_grad())
        {
            var y = conv.call(ones(16, 3, 8, 8));
            Assert.Equal([16L, 8, 6, 6], y.shape);
            Assert.True(y.isfinite().all().item<bool>());
        }
    }
}
