using System.Diagnostics;
using TorchSharp;
using TwinHead.Core.Config;
using TwinHead.Core.Labels;
using TwinHead.Core.Models;
using TwinHead.Imaging;
using TwinHead.Training.Data;
using TwinHead.Training.Models;
using TwinHead.Training.Precision;
using static TorchSharp.torch;

namespace TwinHead.Training.Training;

/// <summary>Progress of one optimiser step.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Total epochs.</param>
/// <param name="Step">1-based step within the epoch.</param>
/// <param name="Steps">Steps in the epoch.</param>
/// <param name="Loss">Running mean training loss of the epoch.</param>
/// <param name="ImagesPerSecond">Training throughput of the epoch so far, loading included.</param>
public sealed record StepProgress(int Epoch, int Epochs, int Step, int Steps, double Loss, double ImagesPerSecond);

/// <summary>What an epoch achieved.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="TrainLoss">Mean training loss.</param>
/// <param name="Validation">Validation evaluation.</param>
/// <param name="Score">Selection score (validation F1 of head 1, or macro F1).</param>
/// <param name="IsBest">Whether this epoch's checkpoint became best.</param>
/// <param name="ImagesPerSecond">Training throughput, loading included.</param>
/// <param name="LearningRate">Learning rate used in the epoch.</param>
/// <param name="Elapsed">Wall time of the epoch (training and validation).</param>
public sealed record EpochSummary(int Epoch, double TrainLoss, Evaluation Validation, double Score, bool IsBest, double ImagesPerSecond, double LearningRate, TimeSpan Elapsed)
{
    /// <summary>The <c>data.monitor</c> set's evaluation this epoch (reported only), or null when none is set.</summary>
    public Evaluation? Monitor { get; init; }
}

/// <summary>Receives training progress (the CLI draws a progress bar from it; tests record it).</summary>
public interface ITrainingObserver
{
    /// <summary>Training is about to start.</summary>
    void OnStart(RunFolder run, TrainingConfig config, int trainImages, int valImages, int stepsPerEpoch, int firstEpoch);

    /// <summary>After each optimiser step.</summary>
    void OnStep(StepProgress progress);

    /// <summary>After each epoch's validation.</summary>
    void OnEpoch(EpochSummary summary);

    /// <summary>A line for the user.</summary>
    void OnMessage(string message);
}

/// <summary>The outcome of a training run.</summary>
/// <param name="Run">Run folder.</param>
/// <param name="Epochs">Summaries of the epochs trained in this call.</param>
/// <param name="BestScore">Best validation selection score.</param>
/// <param name="BestEpoch">Its epoch.</param>
/// <param name="Test">Evaluation of the best checkpoint on the test split, when the dataset has one.</param>
public sealed record TrainingResult(RunFolder Run, IReadOnlyList<EpochSummary> Epochs, double BestScore, int BestEpoch, Evaluation? Test);

/// <summary>
/// Trains a model with the reference recipe by default: Adam, StepLR, label-smoothed cross-entropy (2 · head 1 + head 2),
/// best checkpoint by validation F1 of head 1, a resumable last checkpoint after every epoch.
/// </summary>
public sealed class Trainer(ITrainingObserver observer)
{
    /// <summary>The metrics.csv split name of the <c>data.monitor</c> set's rows.</summary>
    public const string MonitorSplitName = "monitor";

    /// <summary>Starts a new run with <paramref name="config"/>.</summary>
    public TrainingResult Train(TrainingConfig config, CancellationToken cancellationToken = default)
    {
        config.Validate();
        if (config.UsesBFloat16()) CpuAutocast.EnsureSupported();
        var data = LoadData(config);
        // Read and checked before the run folder exists: weights that do not fit the model are a config error, not a failed run.
        using var init = config.Model.Init.Length > 0 ? InitialWeights.Load(config.Model.Init) : null;
        init?.CheckFits(config.ToModelOptions());
        var name = config.Name.Length > 0 ? config.Name : $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{config.Model.Architecture}";
        var run = RunFolder.Create(config.Output, name);
        run.WriteConfig(config);
        run.WriteStatus("running");
        return Run(run, config, data, resumeFrom: null, init, cancellationToken);
    }

    /// <summary>Continues the run in <paramref name="runPath"/> from its last checkpoint, with its saved config.</summary>
    public TrainingResult Resume(string runPath, CancellationToken cancellationToken = default)
    {
        var run = RunFolder.Open(runPath);
        var config = run.ReadConfig().Validate();
        if (config.UsesBFloat16()) CpuAutocast.EnsureSupported();
        if (!File.Exists(run.LastCheckpoint)) throw new FileNotFoundException($"{runPath}: nothing to resume (no checkpoints/last.ckpt)", run.LastCheckpoint);
        var data = LoadData(config);
        run.WriteStatus("running", "resumed");
        return Run(run, config, data, run.LastCheckpoint, init: null, cancellationToken);
    }

    /// <summary>The splits a run reads, loaded (and so checked) before its run folder exists.</summary>
    private sealed record TrainingData(ImageDataset Train, ImageDataset Val, ImageDataset? Monitor);

    private static TrainingData LoadData(TrainingConfig config) => new(
        ImageDataset.Load(config.Data.Root, "train", requireAllClasses: true),
        ImageDataset.Load(config.Data.Root, "val", requireAllClasses: true),
        config.Data.Monitor.Length > 0 ? ImageDataset.Load(config.Data.Monitor, config.Data.MonitorSplit, requireAllClasses: false) : null);

    private TrainingResult Run(RunFolder run, TrainingConfig config, TrainingData data, string? resumeFrom, InitialWeights? init,
        CancellationToken cancellationToken)
    {
        try
        {
            return RunEpochs(run, config, data, resumeFrom, init, cancellationToken);
        }
        catch (Exception e)
        {
            run.Log($"failed: {e}");
            run.WriteStatus(e is OperationCanceledException ? "interrupted" : "failed", e.Message);
            // Whatever stopped the run (Ctrl+C, a bad image mid-epoch, a native error), completed epochs are on disk.
            if (File.Exists(run.LastCheckpoint))
                observer.OnMessage($"stopped; every completed epoch is saved: `twinhead train --resume {run.Path}` continues from the last one");
            throw;
        }
    }

    private TrainingResult RunEpochs(RunFolder run, TrainingConfig config, TrainingData data, string? resumeFrom, InitialWeights? init,
        CancellationToken cancellationToken)
    {
        var (train, val, monitor) = data;
        if (config.Threads > 0) torch.set_num_threads(config.Threads);
        run.Log(NativeHeap.ReuseLargeBuffers());
        torch.random.manual_seed(config.Seed);
        var spec = config.ToPreprocessing();
        var limits = ImageDecodeLimits.Default with { MaxPixels = config.Data.MaxPixels };
        var modelOptions = config.ToModelOptions();
        var configHash = config.Hash();
        var classWeights = config.Data.ClassWeights == "auto" ? InverseFrequency(train.ClassCounts()) : null;
        var lossSettings = new LossSettings(config.Loss.LabelSmoothing, config.Loss.ScreenWeight, config.Loss.NotDocumentWeight, classWeights);

        using var model = ModelRegistry.Create(modelOptions);
        var state = new TrainerState(0, 0, double.NegativeInfinity, 0);
        byte[]? optimizerState = null;
        byte[]? hintState = null;
        WeightAverage? average = null;
        if (resumeFrom is not null)
        {
            using var saved = CheckpointFile.Load(resumeFrom);
            // A checkpoint with a weight average publishes the average; the optimiser's own weights are stored beside it.
            if (saved.TrainingWeights is null) CopyWeights(saved.Model, model);
            else CheckpointFile.LoadWeights(model, saved.TrainingWeights, resumeFrom);
            if (config.Optim.EmaDecay > 0)
            {
                average = new WeightAverage(model, modelOptions, config.Optim.EmaDecay);
                if (saved.TrainingWeights is not null) CopyWeights(saved.Model, average.Model);
            }
            state = saved.State ?? throw new InvalidDataException($"{resumeFrom}: checkpoint has no trainer state; cannot resume");
            optimizerState = saved.OptimizerState;
            hintState = saved.HintWeights;
        }
        else if (init is not null)
        {
            CopyWeights(init.Model, model);
            observer.OnMessage($"initialised weights from {init.Path}");
            foreach (var change in init.PreprocessingChanges(spec)) observer.OnMessage($"model.init: {change}");
        }
        if (config.Optim.EmaDecay > 0)
        {
            average ??= new WeightAverage(model, modelOptions, config.Optim.EmaDecay);
            observer.OnMessage($"validating, keeping and exporting an exponential moving average of the weights (decay {config.Optim.EmaDecay.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
        }
        using var _ = average;
        // What is validated, kept as best and exported: the average when there is one.
        var published = average?.Model ?? model;

        using var distiller = config.Distill.IsEnabled() ? new Distillation.Distiller(config.Distill, spec, model, config.Seed) : null;
        if (distiller is not null)
            observer.OnMessage($"distilling from {config.Distill.Teacher} ({distiller.Teacher.Architecture.Name} {distiller.Teacher.Backbone}), T {config.Distill.Temperature}, alpha {config.Distill.Alpha}" +
                (distiller.Projection is null ? "" : $", feature weight {config.Distill.FeatureWeight}") +
                (distiller.StagePairs.Count == 0 ? "" : $", stage hints {string.Join(", ", distiller.StagePairs.Select(p => p.Name))} (weight {config.Distill.StageWeight})") +
                (config.Distill.HintOnlyTrunk ? ", trunk trained by the hints only (heads on its detached map)" : "") +
                (config.Distill.MixupImages == 0 ? "" : $", {config.Distill.MixupImages} mixed images per step (mixup alpha {config.Distill.MixupAlpha})") +
                (config.Distill.RandomConvolution == 0 ? "" : $", random convolutions on {config.Distill.RandomConvolution:0.##} of the student's images") +
                (distiller.InputScale == 1 ? "" : $"; batches at the teacher's {distiller.TeacherInput.Width}x{distiller.TeacherInput.Height}, averaged down to {spec.Width}x{spec.Height} for the student"));
        if (hintState is not null && distiller is not null) distiller.LoadHints(hintState, resumeFrom!);
        else if (resumeFrom is not null && distiller is { Projection: not null } or { StagePairs.Count: > 0 })
            observer.OnMessage($"warning: {resumeFrom} has no saved distillation hint projections (written before they were kept): they start afresh, so the first resumed steps relearn them");
        // A teacher at a multiple of the student's size gets training batches at its own size; validation stays at the student's.
        var trainSpec = distiller?.TeacherInput ?? spec;
        var optimizer = CreateOptimizer(model, config.Optim, distiller?.HintParameters());
        if (optimizerState is not null) CheckpointFile.RestoreOptimizer(optimizer, optimizerState);
        var scheduler = torch.optim.lr_scheduler.StepLR(optimizer, config.Optim.StepSize, config.Optim.Gamma);
        for (var e = 0; e < state.Epoch; e++) scheduler.step();

        var trainCache = config.Data.Cache ? new DecodedImageCache(train.Count, 16L << 30) : null;
        var valCache = config.Data.Cache ? new DecodedImageCache(val.Count, 4L << 30) : null;
        var trainLoader = new BatchLoader(train, trainSpec, limits, trainCache, config.Seed);
        var valLoader = new BatchLoader(val, spec, limits, valCache, config.Seed);
        var monitorLoader = monitor is null ? null : new BatchLoader(monitor, spec, limits, config.Data.Cache ? new DecodedImageCache(monitor.Count, 2L << 30) : null, config.Seed);
        if (monitor is not null)
            observer.OnMessage($"reporting {monitor.Count} images of {config.Data.Monitor} ({config.Data.MonitorSplit}) after every epoch; they do not choose the checkpoint");
        var loaderOptions = new LoaderOptions(config.Data.BatchSize, Shuffle: true, config.Data.Augment.ToOptions(),
            Weighted: config.Data.Sampler == "weighted", config.Data.Workers, config.Data.Prefetch, config.Data.MaxStepsPerEpoch);
        var steps = trainLoader.BatchCount(loaderOptions);
        var unlabeled = distiller is not null && config.Distill.Unlabeled.Length > 0 ? ImageDataset.Unlabeled(config.Distill.Unlabeled) : null;
        var unlabeledBatchSize = config.Distill.UnlabeledBatchSize > 0 ? config.Distill.UnlabeledBatchSize : config.Data.BatchSize;
        // Its own seed, so an unlabeled image and a training image with the same index are not augmented alike.
        using var unlabeledStream = unlabeled is null ? null : new UnlabeledBatchStream(
            new BatchLoader(unlabeled, trainSpec, limits, config.Data.Cache ? new DecodedImageCache(unlabeled.Count, 8L << 30) : null, config.Seed + 1),
            loaderOptions with { BatchSize = unlabeledBatchSize, Weighted = false, MaxBatches = 0 },
            cancellationToken);
        if (unlabeled is not null)
            observer.OnMessage($"adding up to {unlabeledBatchSize} of {unlabeled.Count} unlabeled images from {config.Distill.Unlabeled} to every step (soft and feature losses only)");
        var metadataExtra = new Dictionary<string, string> { ["run"] = Path.GetFileName(run.Path), ["dataset"] = config.Data.Root, ["head_design"] = new HeadDesign(config.Model.HeadChannels, config.Model.SharedHeadConv).Name };
        if (config.Model.CoarseView) metadataExtra["views"] = $"{config.Data.ImageSize} px and {config.Data.ImageSize / 2} px (2x2 average), probabilities averaged";
        if (distiller is not null) metadataExtra["distilled_from"] = Path.GetFullPath(config.Distill.TeacherCheckpoint()!);
        if (distiller is { InputScale: > 1 }) metadataExtra["teacher_input"] = $"{trainSpec.Width}x{trainSpec.Height}";
        if (config.Distill.MixupImages > 0) metadataExtra["distilled_on_mixed"] = $"{config.Distill.MixupImages} per step, alpha {config.Distill.MixupAlpha.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        if (config.Distill.RandomConvolution > 0) metadataExtra["student_random_convolution"] = config.Distill.RandomConvolution.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (config.Model.Init.Length > 0) metadataExtra["initialised_from"] = init?.Path ?? InitialWeights.Locate(config.Model.Init) ?? config.Model.Init;
        if (average is not null) metadataExtra["weights"] = $"exponential moving average, decay {average.Decay.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        if (unlabeled is not null) metadataExtra["distilled_on_unlabeled"] = $"{Path.GetFullPath(unlabeled.Root)} ({unlabeled.Count} images)";
        var metadata = new ModelMetadata
        {
            Architecture = model.Architecture.Name,
            Backbone = model.Backbone,
            Preprocessing = spec,
            Thresholds = config.ToThresholds(),
            ConfigHash = configHash,
            Extra = metadataExtra,
        };

        var tensorboard = config.Tensorboard ? torch.utils.tensorboard.SummaryWriter(run.TensorboardPath) : null;
        observer.OnStart(run, config, train.Count, val.Count, steps, state.Epoch + 1);
        run.Log($"training {model.Architecture.Name} {model.Backbone} ({model.ParameterCount:N0} parameters) on {train.Count} images, validating on {val.Count}, {config.Precision}; config {configHash}" +
            (average is null ? "" : $"; validating an exponential moving average of the weights (decay {average.Decay.ToString(System.Globalization.CultureInfo.InvariantCulture)})"));
        var summaries = new List<EpochSummary>();
        for (var epoch = state.Epoch + 1; epoch <= config.Optim.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var epochWatch = Stopwatch.StartNew();
            var learningRate = optimizer.ParamGroups.First().LearningRate;
            distiller?.StartEpoch(epoch);
            SetTrainingMode(model, config.Optim);
            double lossSum = 0;
            var headLossSums = new Dictionary<string, double>();
            var images = 0;
            var step = 0;
            foreach (var batch in trainLoader.ReadEpochAsync(epoch, loaderOptions, cancellationToken).ToBlockingEnumerable(cancellationToken))
            {
                using (var scope = NewDisposeScope())
                {
                    var x = tensor(batch.Pixels).view(batch.Count, 3, trainSpec.Height, trainSpec.Width);
                    var y = tensor(batch.Labels);
                    optimizer.zero_grad();
                    Tensor logits, loss;
                    // Autocast covers the forward passes (a teacher's too); backward follows the recorded dtypes, as in PyTorch.
                    // Logits and loss are taken in float32 so the softmax, smoothing and reported losses keep full precision.
                    using (config.UsesBFloat16() ? CpuAutocast.BFloat16() : null)
                    {
                        if (distiller is null && model.Network is TwoHeadedNetwork { HasCoarseView: true } views)
                        {
                            var (full, coarse) = views.ViewLogits(x);
                            (full, coarse) = (full.to_type(ScalarType.Float32), coarse.to_type(ScalarType.Float32));
                            logits = TwoHeadedNetwork.Fuse(full, coarse);
                            loss = model.Architecture.Loss(full, y, lossSettings).Plus(model.Architecture.Loss(coarse, y, lossSettings)).Times(0.5);
                        }
                        else if (distiller is null)
                        {
                            logits = model.Network.call(x).to_type(ScalarType.Float32);
                            loss = model.Architecture.Loss(logits, y, lossSettings);
                        }
                        else
                        {
                            var extra = unlabeledStream?.Next();
                            var xu = extra is null ? null : tensor(extra.Pixels).view(extra.Count, 3, trainSpec.Height, trainSpec.Width);
                            (logits, loss) = distiller.Step(model, x, y, lossSettings, xu);
                        }
                        loss = loss.to_type(ScalarType.Float32);
                    }
                    loss.backward();
                    optimizer.step();
                    average?.Update(state.GlobalStep + 1);
                    lossSum += loss.item<float>() * batch.Count;
                    using (no_grad())
                    {
                        foreach (var (head, headLoss) in model.Architecture.HeadLosses(logits.detach(), y, lossSettings.LabelSmoothing))
                            headLossSums[head] = headLossSums.GetValueOrDefault(head) + headLoss.item<float>() * batch.Count;
                    }
                }
                images += batch.Count;
                step++;
                state = state with { GlobalStep = state.GlobalStep + 1 };
                observer.OnStep(new StepProgress(epoch, config.Optim.Epochs, step, steps, lossSum / images, images / epochWatch.Elapsed.TotalSeconds));
            }
            var trainSeconds = epochWatch.Elapsed.TotalSeconds;
            scheduler.step();

            var validation = Evaluator.Evaluate(published, val, valLoader, Math.Max(config.Data.BatchSize, 64), config.ToThresholds(), lossSettings, config.Data.Workers);
            var score = Evaluator.SelectionScore(model.Architecture, validation.Report);
            // ">=" lets a later epoch win a tie: early epochs can score the same while BatchNorm statistics settle.
            var isBest = score >= state.BestScore;
            state = state with { Epoch = epoch, BestScore = isBest ? score : state.BestScore, BestEpoch = isBest ? epoch : state.BestEpoch };
            var epochMetadata = metadata with { Extra = new Dictionary<string, string>(metadata.Extra) { ["epoch"] = epoch.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
            if (isBest) CheckpointFile.Save(run.BestCheckpoint, published, modelOptions, epochMetadata, state);
            CheckpointFile.Save(run.LastCheckpoint, published, modelOptions, epochMetadata, state, optimizer, average is null ? null : model, distiller?.SaveHints());

            var monitored = monitor is null ? null : Evaluator.Evaluate(published, monitor, monitorLoader!, Math.Max(config.Data.BatchSize, 64), config.ToThresholds(), lossSettings, config.Data.Workers);
            var summary = new EpochSummary(epoch, lossSum / Math.Max(1, images), validation, score, isBest, images / trainSeconds, learningRate, epochWatch.Elapsed) { Monitor = monitored };
            summaries.Add(summary);
            var rows = validation.ToMetricRows(epoch).Concat([
                new MetricRow(epoch, "train", "all", "loss", summary.TrainLoss),
                .. headLossSums.Select(kv => new MetricRow(epoch, "train", kv.Key, "loss", kv.Value / Math.Max(1, images))),
                new MetricRow(epoch, "train", "all", "lr", learningRate),
                new MetricRow(epoch, "train", "all", "images_per_second", summary.ImagesPerSecond),
                new MetricRow(epoch, "val", "all", "selection_score", score),
                .. monitored is null ? [] : monitored.ToMetricRows(epoch).Select(r => r with { Split = MonitorSplitName }),
            ]).ToList();
            run.AppendMetrics(rows);
            if (tensorboard is not null)
            {
                foreach (var r in rows) tensorboard.add_scalar($"{r.Split}/{r.Head}/{r.Metric}", (float)r.Value, epoch);
                LogSamples(tensorboard, valLoader, validation, epoch, config.ToThresholds());
            }
            run.Log($"epoch {epoch}: train loss {summary.TrainLoss:F4}, val loss {validation.MeanLoss:F4}, val screen F1 {validation.Report.ScreenHead.F1:F4}, " +
                    $"3-way acc {validation.Report.ThreeWay.Accuracy:F4}, score {score:F4}{(isBest ? " (best)" : "")}, {summary.ImagesPerSecond:F1} img/s" +
                    (monitored is null ? "" : $"; monitor screen P {monitored.Report.ScreenClass.Precision:F4} R {monitored.Report.ScreenClass.Recall:F4} ROC AUC {monitored.Report.ScreenRanking.RocAuc:F4}, " +
                        $"not-doc acc {monitored.Report.NotDocumentHead.Accuracy:F4}, 3-way acc {monitored.Report.ThreeWay.Accuracy:F4}"));
            observer.OnEpoch(summary);
        }

        Evaluation? test = null;
        if (File.Exists(run.BestCheckpoint))
        {
            using var best = CheckpointFile.Load(run.BestCheckpoint);
            var bestVal = Evaluator.Evaluate(best.Model, val, valLoader, Math.Max(config.Data.BatchSize, 64), config.ToThresholds(), lossSettings, config.Data.Workers);
            PredictionFile.Write(PredictionFile.PathFor(run, val.Split), bestVal.Predictions);
            if (File.Exists(Core.Data.SplitNames.CsvPath(config.Data.Root, Core.Data.SplitNames.Test)))
            {
                var testSet = ImageDataset.Load(config.Data.Root, Core.Data.SplitNames.Test, requireAllClasses: false);
                test = Evaluator.Evaluate(best.Model, testSet, new BatchLoader(testSet, spec, limits, null, config.Seed), Math.Max(config.Data.BatchSize, 64), config.ToThresholds(), lossSettings, config.Data.Workers);
                PredictionFile.Write(PredictionFile.PathFor(run, testSet.Split), test.Predictions);
                run.AppendMetrics(test.ToMetricRows(0));
                run.Log($"test (best epoch {state.BestEpoch}): screen P {test.Report.ScreenClass.Precision:F4} R {test.Report.ScreenClass.Recall:F4}, 3-way acc {test.Report.ThreeWay.Accuracy:F4}");
            }
        }
        run.WriteStatus("complete", $"best epoch {state.BestEpoch}, score {state.BestScore:F4}");
        return new TrainingResult(run, summaries, state.BestScore, state.BestEpoch, test);
    }

    /// <summary>A strip of the first validation images as the model sees them, with their labels and predictions as text.</summary>
    private static void LogSamples(TorchSharp.Modules.SummaryWriter writer, BatchLoader loader, Evaluation validation, int epoch, DecisionThresholds thresholds)
    {
        var count = Math.Min(8, validation.Predictions.Count);
        if (count == 0) return;
        using var scope = NewDisposeScope();
        var spec = loader.Spec;
        var batch = loader.Assemble(Enumerable.Range(0, count).ToArray(), 0, new LoaderOptions(count, false, null));
        var images = tensor(batch.Pixels).view(count, 3, spec.Height, spec.Width);
        var mean = tensor(spec.Mean).view(1, 3, 1, 1);
        var std = tensor(spec.Std).view(1, 3, 1, 1);
        var strip = cat((images * std).Plus(mean).Within(0, 1).unbind(0), 2);
        writer.add_img("val/samples", strip, epoch);
        var lines = validation.Predictions.Take(count).Select((p, i) =>
            $"{i + 1}. {p.Path}: {DocumentClasses.NameOf(p.Actual)} -> {DocumentClasses.NameOf(thresholds.Decide(p.ScreenProbability, p.NotDocumentProbability))} " +
            $"(screen {p.ScreenProbability:F2}, not_document {p.NotDocumentProbability:F2})");
        writer.add_text("val/predictions", string.Join("  \n", lines), epoch);
    }

    /// <summary>Inverse-frequency class weights normalised to mean 1 (classes without samples get 0).</summary>
    public static float[] InverseFrequency(int[] counts)
    {
        var present = counts.Count(c => c > 0);
        var total = counts.Sum();
        return counts.Select(c => c == 0 ? 0f : (float)total / (present * c)).ToArray();
    }

    /// <summary>
    /// Adam over all parameters; with <see cref="OptimConfig.BackboneLrScale"/> != 1, two groups: the heads at <c>optim.lr</c>
    /// (first, so the logged rate is theirs) and the backbone at <c>optim.lr</c> · scale. <paramref name="extra"/> parameters
    /// (a distillation projection) train at <c>optim.lr</c> with the heads.
    /// </summary>
    public static TorchSharp.Modules.Adam CreateOptimizer(BuiltModel model, OptimConfig optim, IReadOnlyList<TorchSharp.Modules.Parameter>? extra = null)
    {
        extra ??= [];
        if (optim.BackboneLrScale == 1.0)
            return new Adam(model.Network.parameters().Concat(extra), optim.Lr, optim.WeightDecay);
        var parameters = model.Network.named_parameters().ToArray();
        var backbone = parameters.Where(p => IsBackboneParameter(model.Architecture, p.name)).Select(p => p.parameter).ToArray();
        var heads = parameters.Where(p => !IsBackboneParameter(model.Architecture, p.name)).Select(p => p.parameter).Concat(extra).ToArray();
        if (optim.BackboneLrScale == 0)
        {
            // Frozen: no gradients through the backbone at all (backward stops at the heads, about a third of the cost).
            foreach (var p in backbone) p.requires_grad = false;
            return new Adam(heads, optim.Lr, optim.WeightDecay);
        }
        return new Adam(new[]
        {
            new TorchSharp.Modules.Adam.ParamGroup(heads, optim.Lr, weight_decay: optim.WeightDecay),
            new TorchSharp.Modules.Adam.ParamGroup(backbone, optim.Lr * optim.BackboneLrScale, weight_decay: optim.WeightDecay),
        }, optim.Lr, optim.WeightDecay);
    }

    /// <summary>
    /// Training mode for the heads; with a frozen backbone (<see cref="OptimConfig.BackboneLrScale"/> 0) the backbone stays in
    /// eval mode, so its BatchNorm layers keep the pretrained statistics instead of drifting to the training batches.
    /// </summary>
    public static void SetTrainingMode(BuiltModel model, OptimConfig optim)
    {
        model.Network.train();
        if (optim.BackboneLrScale != 0)
            return;
        foreach (var (name, child) in model.Network.named_children())
        {
            if (IsBackboneParameter(model.Architecture, name + "."))
                child.eval();
        }
    }

    /// <summary>Whether a parameter belongs to the backbone: <c>base_model.*</c> in two-headed models, all but <c>fc.*</c> in three-output ones.</summary>
    public static bool IsBackboneParameter(Architecture architecture, string name) =>
        architecture == Architecture.TwoHeaded ? name.StartsWith("base_model.", StringComparison.Ordinal) : !name.StartsWith("fc.", StringComparison.Ordinal);

    private static void CopyWeights(BuiltModel source, BuiltModel target)
    {
        if (source.Architecture != target.Architecture || source.Backbone != target.Backbone)
            throw new ConfigException($"checkpoint holds a {source.Architecture.Name} {source.Backbone}, the config asks for {target.Architecture.Name} {target.Backbone}");
        using var _ = no_grad();
        target.Network.load_state_dict(source.Network.state_dict());
    }
}
