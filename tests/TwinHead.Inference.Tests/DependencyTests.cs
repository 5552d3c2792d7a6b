namespace TwinHead.Inference.Tests;

public class DependencyTests
{
    [Fact]
    public void Inference_assembly_never_references_TorchSharp()
    {
        var references = typeof(TwinHeadClassifier).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.Contains("Microsoft.ML.OnnxRuntime", references);
        Assert.DoesNotContain(references, r => r!.StartsWith("TorchSharp", StringComparison.Ordinal) || r == "TwinHead.Training");
    }
}
