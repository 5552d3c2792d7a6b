using System.Globalization;
using BenchmarkDotNet.Running;
using TwinHead.Bench;

// Whole-pipeline measurements are plain timed runs (they take minutes and measure what users wait for);
// micro-benchmarks go through BenchmarkDotNet.
var command = args.FirstOrDefault() ?? "help";
var rest = args.Skip(1).ToArray();
switch (command)
{
    case "train-epoch":
        return TrainingThroughput.Run(rest);
    case "train-profile":
        return TrainingProfile.Run(rest);
    case "export-random":
        return RandomModelExport.Run(rest);
    case "inference":
        return InferenceLatency.Run(rest);
    case "micro":
        BenchmarkSwitcher.FromAssembly(typeof(TrainingThroughput).Assembly).Run(rest);
        return 0;
    default:
        Console.WriteLine(string.Join(Environment.NewLine,
            "usage: dotnet run -c Release --project bench/TwinHead.Bench -- COMMAND [options]",
            "  train-epoch --data ROOT [--image-size 256] [--batch 32] [--threads 2] [--workers 2] [--epochs 2] [--architecture two-headed] [--precision float32|bfloat16]",
            "      training throughput (images/s) of full epochs from JPEG files, loading included; epoch 1 decodes every file, later epochs read the cache",
            "  train-profile --data ROOT [--image-size 256] [--batch 32] [--threads 2] [--workers 2] [--steps 30] [--part all|loader|step] [--precision float32|bfloat16]",
            "      where training time goes: the loader alone over whole epochs (cache on and off), the optimiser step alone on a fixed batch",
            "  export-random [--out PATH] [--architecture two-headed] [--image-size 256] [--seed 42]",
            "      writes a randomly initialised model to ONNX (speed does not depend on weights)",
            "  inference --model ONNX [--csv /work/shared/data/real-dev/test.csv] [--root CSV_FOLDER] [--passes 1] [--repeats 3] [--limit N]",
            "      per-image latency from bytes in memory (ONNX Runtime 1 and 2 threads, decode/after-decode split), concurrent throughput, TorchSharp eager",
            "  micro [BenchmarkDotNet args]   micro-benchmarks (preprocessing, JPEG encoding of a generated sample)"));
        return command == "help" ? 0 : 2;
}

namespace TwinHead.Bench
{
    /// <summary>Reads <c>--name value</c> options.</summary>
    internal sealed class BenchArgs(string[] args)
    {
        public string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        public int GetInt(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
    }
}

namespace TwinHead.Bench
{
    /// <summary>Console lines formatted with the invariant culture, so figures read the same on every machine.</summary>
    internal static class Invariant
    {
        public static void WriteLine(FormattableString text) => Console.WriteLine(text.ToString(CultureInfo.InvariantCulture));
    }
}
