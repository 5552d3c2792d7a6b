using TorchSharp;
using TorchSharp.Modules;
using KeptAliveAdam = TwinHead.Training.Training.Adam;
using TorchSharpAdam = TorchSharp.Modules.Adam;
using static TorchSharp.torch;

namespace TwinHead.Training.Tests.Training;

public class AdamTests
{
    [Theory]
    [InlineData(0.0, false)]
    [InlineData(1e-2, false)]
    [InlineData(1e-2, true)]
    public void Its_updates_equal_TorchSharps_Adam_step_for_step(double weightDecay, bool twoGroups)
    {
        var (reference, referenceOptimizer) = Problem(weightDecay, twoGroups, safe: false);
        var (safe, safeOptimizer) = Problem(weightDecay, twoGroups, safe: true);
        using (reference)
        using (safe)
        using (referenceOptimizer)
        using (safeOptimizer)
        {
            // Same start without relying on the global generator, which tests running in parallel also draw from.
            safe.load_state_dict(reference.state_dict());
            var initial = safe.parameters().Select(p => p.detach().clone()).ToArray();
            for (var step = 0; step < 5; step++)
            {
                Step(reference, referenceOptimizer, step);
                Step(safe, safeOptimizer, step);
            }
            foreach (var ((r, s), before) in reference.parameters().Zip(safe.parameters()).Zip(initial))
            {
                Assert.True(r.allclose(s, rtol: 0, atol: 1e-7), "parameters differ after 5 steps");
                Assert.False(s.allclose(before), "the optimiser did not move the parameters");
            }
        }
    }

    [Fact]
    public void A_run_saved_by_TorchSharps_Adam_resumes_into_it_exactly()
    {
        var (reference, referenceOptimizer) = Problem(1e-2, false, safe: false);
        var (resumed, resumedOptimizer) = Problem(1e-2, false, safe: true);
        var path = Path.GetTempFileName();
        try
        {
            using (reference) using (referenceOptimizer) using (resumed) using (resumedOptimizer)
            {
                Step(reference, referenceOptimizer, 0);
                Step(reference, referenceOptimizer, 1);
                referenceOptimizer.save_state_dict(path);
                resumed.load_state_dict(reference.state_dict());
                resumedOptimizer.load_state_dict(path);
                Step(reference, referenceOptimizer, 2);
                Step(resumed, resumedOptimizer, 2);
                foreach (var (r, s) in reference.parameters().Zip(resumed.parameters()))
                    Assert.True(r.allclose(s, rtol: 0, atol: 1e-7), "the resumed step differs from the uninterrupted one");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (Sequential Model, TorchSharpAdam Optimizer) Problem(double weightDecay, bool twoGroups, bool safe)
    {
        var model = nn.Sequential(("0", nn.Linear(6, 5)), ("1", nn.ReLU()), ("2", nn.Linear(5, 2)));
        var parameters = model.parameters().ToArray();
        if (!twoGroups)
            return (model, safe ? new KeptAliveAdam(parameters, 0.01, weightDecay) : optim.Adam(parameters, 0.01, weight_decay: weightDecay));
        var groups = new[]
        {
            new TorchSharpAdam.ParamGroup(parameters[..2], 0.01, weight_decay: weightDecay),
            new TorchSharpAdam.ParamGroup(parameters[2..], 0.001, weight_decay: weightDecay),
        };
        return (model, safe ? new KeptAliveAdam(groups, 0.01, weightDecay) : optim.Adam(groups, 0.01, weight_decay: weightDecay));
    }

    private static void Step(Sequential model, TorchSharpAdam optimizer, int step)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)(100 + step));
        var x = randn([8, 6], generator: generator);
        var y = randn([8, 2], generator: generator);
        optimizer.zero_grad();
        nn.functional.mse_loss(model.call(x), y).backward();
        optimizer.step();
    }
}
