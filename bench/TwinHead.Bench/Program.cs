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
    case "micro":
        BenchmarkSwitcher.FromAssembly(typeof(TrainingThroughput).Assembly).Run(rest);
        return 0;
    default:
        Console.WriteLine(string.Join(Environment.NewLine,
            "usage: dotnet run -c Release --project bench/TwinHead.Bench -- COMMAND [options]",
            "  train-epoch --data ROOT [--image-size 256] [--batch 32] [--threads 2] [--workers 2] [--epochs 2] [--architecture two-headed]",
            "      training throughput (images/s) of full epochs from JPEG files, loading included; epoch 1 decodes every file, later epochs read the cache",
            "  micro [BenchmarkDotNet args]   micro-benchmarks (preprocessing)"));
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
