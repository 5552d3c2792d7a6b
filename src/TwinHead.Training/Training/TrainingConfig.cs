using TwinHead.Core.Config;
using TwinHead.Core.Labels;
using TwinHead.Core.Models;
using TwinHead.Imaging;
using TwinHead.Training.Models;

namespace TwinHead.Training.Training;

/// <summary>
/// The one config object that flows from YAML and the command line to the trainer. Every default is the reference
/// recipe (DESIGN section 2); keys are the snake_case of the property names (<c>optim.lr</c>, <c>data.batch_size</c>).
/// </summary>
public sealed record TrainingConfig
{
    /// <summary>Dataset and loader.</summary>
    public DataConfig Data { get; init; } = new();

    /// <summary>What to build.</summary>
    public ModelConfig Model { get; init; } = new();

    /// <summary>Optimiser and schedule.</summary>
    public OptimConfig Optim { get; init; } = new();

    /// <summary>Loss.</summary>
    public LossConfig Loss { get; init; } = new();

    /// <summary>Knowledge distillation from a teacher checkpoint (off by default).</summary>
    public Distillation.DistillConfig Distill { get; init; } = new();

    /// <summary>Decision thresholds stored in the checkpoints (tune them later with <c>twinhead tune</c>).</summary>
    public ThresholdConfig Thresholds { get; init; } = new();

    /// <summary>Seed for weights, shuffling and augmentation.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>TorchSharp compute threads (0: TorchSharp's default).</summary>
    public int Threads { get; init; } = 2;

    /// <summary>
    /// Arithmetic of the training forward pass: <c>float32</c> (reference) or <c>bfloat16</c> (libtorch CPU autocast:
    /// convolutions and matrix products in bfloat16, weights, gradients, optimiser and validation in float32; fastest on
    /// CPUs with AVX-512 BF16 or AMX).
    /// </summary>
    public string Precision { get; init; } = "float32";

    /// <summary>True when <see cref="Precision"/> asks for bfloat16 autocast.</summary>
    public bool UsesBFloat16() => Precision == "bfloat16";

    /// <summary>Folder under which run folders are created.</summary>
    public string Output { get; init; } = "runs";

    /// <summary>Run folder name; empty: a timestamp and the architecture.</summary>
    public string Name { get; init; } = "";

    /// <summary>Write TensorBoard event files into the run folder.</summary>
    public bool Tensorboard { get; init; } = true;

    /// <summary>Throws <see cref="ConfigException"/> naming the first invalid key.</summary>
    public TrainingConfig Validate()
    {
        static void Check(bool ok, string key, object value, string rule)
        {
            if (!ok) throw new ConfigException($"config key '{key}' = {value}: {rule}");
        }
        Check(!string.IsNullOrWhiteSpace(Data.Root), "data.root", "''", "must name a dataset folder");
        Check(Data.ImageSize is >= 32 and <= 1024, "data.image_size", Data.ImageSize, "must be in 32..1024");
        Check(Data.BatchSize is >= 1 and <= 4096, "data.batch_size", Data.BatchSize, "must be in 1..4096");
        Check(Data.Workers is >= 0 and <= 64, "data.workers", Data.Workers, "must be in 0..64 (0: one per core)");
        Check(Data.Prefetch is >= 1 and <= 64, "data.prefetch", Data.Prefetch, "must be in 1..64");
        Check(Data.Sampler is "sequential" or "weighted", "data.sampler", Data.Sampler, "must be 'sequential' or 'weighted'");
        Check(Data.ClassWeights is "none" or "auto", "data.class_weights", Data.ClassWeights, "must be 'none' or 'auto'");
        Check(Data.MaxStepsPerEpoch >= 0, "data.max_steps_per_epoch", Data.MaxStepsPerEpoch, "must be >= 0 (0: whole epoch)");
        Check(Data.Monitor.Length == 0 || Directory.Exists(Data.Monitor), "data.monitor", Data.Monitor, "no such folder");
        Check(Data.Monitor.Length == 0 || File.Exists(Core.Data.SplitNames.CsvPath(Data.Monitor, Data.MonitorSplit)), "data.monitor_split", Data.MonitorSplit,
            $"no {Data.MonitorSplit}.csv in data.monitor '{Data.Monitor}'");
        Check(Data.Augment.RotationDegrees is >= 0 and <= 180, "data.augment.rotation_degrees", Data.Augment.RotationDegrees, "must be in 0..180");
        Check(Data.Augment.CropMinScale is > 0 and <= 1, "data.augment.crop_min_scale", Data.Augment.CropMinScale, "must be in (0, 1]");
        Check(Data.Augment.Brightness is >= 0 and <= 1, "data.augment.brightness", Data.Augment.Brightness, "must be in 0..1 (0: off)");
        Check(Data.Augment.Contrast is >= 0 and <= 1, "data.augment.contrast", Data.Augment.Contrast, "must be in 0..1 (0: off)");
        Check(Data.Augment.Saturation is >= 0 and <= 1, "data.augment.saturation", Data.Augment.Saturation, "must be in 0..1 (0: off)");
        Check(Data.Augment.JpegQualityMin is 0 or (>= 1 and <= 100), "data.augment.jpeg_quality_min", Data.Augment.JpegQualityMin, "must be 0 (off) or in 1..100");
        Check(Data.Augment.BlurProbability is >= 0 and <= 1, "data.augment.blur_probability", Data.Augment.BlurProbability, "must be in [0, 1] (0: off)");
        Check(Data.Augment.AspectStretch is >= 1 and <= 4, "data.augment.aspect_stretch", Data.Augment.AspectStretch, "must be in 1..4 (1: off; 1.78 = up to 16:9)");
        Check(Data.Augment.Noise is >= 0 and <= 64, "data.augment.noise", Data.Augment.Noise, "must be in 0..64 (0: off)");
        Check(Data.Augment.ChromaMax is 0 or (> 0 and <= 1), "data.augment.chroma_max", Data.Augment.ChromaMax, "must be 0 (off) or in (0, 1]");
        Check(Data.Augment.ChromaMax == 0 ? Data.Augment.ChromaMin == 0 : Data.Augment.ChromaMin > 0 && Data.Augment.ChromaMin <= Data.Augment.ChromaMax,
            "data.augment.chroma_min", Data.Augment.ChromaMin,
            Data.Augment.ChromaMax == 0 ? "must be 0 while data.augment.chroma_max is 0 (off)" : "must be in (0, data.augment.chroma_max]");
        Check(Optim.Lr > 0, "optim.lr", Optim.Lr, "must be positive");
        Check(Optim.WeightDecay >= 0, "optim.weight_decay", Optim.WeightDecay, "must be >= 0");
        Check(Optim.Epochs is >= 1 and <= 10_000, "optim.epochs", Optim.Epochs, "must be in 1..10000");
        Check(Optim.StepSize >= 1, "optim.step_size", Optim.StepSize, "must be >= 1");
        Check(Optim.Gamma is > 0 and <= 1, "optim.gamma", Optim.Gamma, "must be in (0, 1]");
        Check(Optim.EmaDecay is >= 0 and < 1, "optim.ema_decay", Optim.EmaDecay, "must be in [0, 1) (0: off)");
        Check(Optim.BackboneLrScale is >= 0 and <= 10, "optim.backbone_lr_scale", Optim.BackboneLrScale, "must be in 0..10");
        Check(Loss.LabelSmoothing is >= 0 and < 1, "loss.label_smoothing", Loss.LabelSmoothing, "must be in [0, 1)");
        Check(Loss.ScreenWeight >= 0 && Loss.NotDocumentWeight >= 0 && Loss.ScreenWeight + Loss.NotDocumentWeight > 0,
            "loss.screen_weight", Loss.ScreenWeight, "head weights must be >= 0 and not both 0");
        Check(Thresholds.Screen is >= 0 and <= 1, "thresholds.screen", Thresholds.Screen, "must be in [0, 1]");
        Check(Thresholds.NotDocument is >= 0 and <= 1, "thresholds.not_document", Thresholds.NotDocument, "must be in [0, 1]");
        Check(Threads is >= 0 and <= 256, "threads", Threads, "must be in 0..256");
        Check(Precision is "float32" or "bfloat16", "precision", Precision, "must be 'float32' or 'bfloat16'");
        Check(Distill.Temperature > 0, "distill.temperature", Distill.Temperature, "must be positive");
        Check(Distill.Alpha is >= 0 and <= 1, "distill.alpha", Distill.Alpha, "must be in [0, 1]");
        Check(Distill.FeatureWeight >= 0, "distill.feature_weight", Distill.FeatureWeight, "must be >= 0 (0: off)");
        Check(Distill.StageWeight >= 0, "distill.stage_weight", Distill.StageWeight, "must be >= 0 (0: off)");
        Check(!Distill.HintOnlyTrunk || Distill.FeatureWeight > 0, "distill.hint_only_trunk", Distill.HintOnlyTrunk,
            "needs distill.feature_weight > 0: with the heads' losses cut off, the trunk's hint is all it learns from");
        Check(!Distill.IsEnabled() || Distill.TeacherCheckpoint() is not null, "distill.teacher", Distill.Teacher, "no such checkpoint file, nor a run folder with checkpoints/best.ckpt");
        Check(Distill.Unlabeled.Length == 0 || Distill.IsEnabled(), "distill.unlabeled", Distill.Unlabeled, "needs distill.teacher: only a teacher can say what unlabeled images are");
        Check(Distill.Unlabeled.Length == 0 || Directory.Exists(Distill.Unlabeled), "distill.unlabeled", Distill.Unlabeled, "no such folder");
        Check(Distill.UnlabeledBatchSize is >= 0 and <= 4096, "distill.unlabeled_batch_size", Distill.UnlabeledBatchSize, "must be in 0..4096 (0: data.batch_size)");
        Check(Distill.MixupImages is >= 0 and <= 4096, "distill.mixup_images", Distill.MixupImages, "must be in 0..4096 (0: off)");
        Check(Distill.MixupImages == 0 || Distill.IsEnabled(), "distill.mixup_images", Distill.MixupImages, "needs distill.teacher: only a teacher can say what a mixed image is");
        Check(Distill.MixupAlpha is > 0 and <= 100, "distill.mixup_alpha", Distill.MixupAlpha, "must be in (0, 100]");
        Check(Distill.RandomConvolution is >= 0 and <= 1, "distill.random_convolution", Distill.RandomConvolution, "must be a probability in [0, 1] (0: off)");
        Check(Distill.RandomConvolution == 0 || Distill.IsEnabled(), "distill.random_convolution", Distill.RandomConvolution,
            "needs distill.teacher: the teacher answers for the unchanged image");
        try { Architecture.Parse(Model.Architecture); }
        catch (ArgumentException e) { throw new ConfigException(e.Message); }
        if (!ModelRegistry.Backbones.Contains(Model.Backbone, StringComparer.OrdinalIgnoreCase))
            throw new ConfigException($"config key 'model.backbone' = {Model.Backbone}: unknown; known: {string.Join(", ", ModelRegistry.Backbones)}");
        Check(Model.HeadChannels is >= 1 and <= 8192, "model.head_channels", Model.HeadChannels, "must be in 1..8192");
        Check(!Model.CoarseView || Architecture.Parse(Model.Architecture) == Architecture.TwoHeaded, "model.coarse_view", Model.CoarseView,
            $"needs model.architecture {Architecture.TwoHeaded.Name}");
        Check(!Model.CoarseView || !Distill.IsEnabled(), "model.coarse_view", Model.CoarseView, "is not supported with distill.teacher");
        return this;
    }

    /// <summary>The model builder options.</summary>
    public ModelOptions ToModelOptions() => new()
    {
        Architecture = Model.Architecture,
        Backbone = Model.Backbone,
        HeadChannels = Model.HeadChannels,
        SharedHeadConv = Model.SharedHeadConv,
        CoarseView = Model.CoarseView,
    };

    /// <summary>Preprocessing of this run (stretch to image_size, ImageNet mean/std).</summary>
    public PreprocessingSpec ToPreprocessing() => PreprocessingSpec.Reference(Data.ImageSize);

    /// <summary>Thresholds stored in checkpoints.</summary>
    public DecisionThresholds ToThresholds() => new(Thresholds.Screen, Thresholds.NotDocument);

    /// <summary>Config hash stamped into artifacts.</summary>
    public string Hash() => LayeredYamlConfig.Hash(this);
}

/// <summary>Dataset and loader settings.</summary>
public sealed record DataConfig
{
    /// <summary>Dataset root: class folders plus train.csv, val.csv, test.csv.</summary>
    public string Root { get; init; } = "data/quickstart";

    /// <summary>Square input size in pixels (reference 256).</summary>
    public int ImageSize { get; init; } = 256;

    /// <summary>Batch size (reference 256).</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Decode/augment threads (0: one per core).</summary>
    public int Workers { get; init; }

    /// <summary>Batches prepared ahead of the trainer.</summary>
    public int Prefetch { get; init; } = 2;

    /// <summary>Keep decoded, resized images in memory across epochs.</summary>
    public bool Cache { get; init; } = true;

    /// <summary><c>sequential</c> (shuffled) or <c>weighted</c> (class-balanced sampling with replacement).</summary>
    public string Sampler { get; init; } = "sequential";

    /// <summary><c>none</c> or <c>auto</c> (inverse class frequency in the loss).</summary>
    public string ClassWeights { get; init; } = "none";

    /// <summary>Cap on optimiser steps per epoch (0: the whole split); for smoke tests.</summary>
    public int MaxStepsPerEpoch { get; init; }

    /// <summary>Largest image accepted, in pixels.</summary>
    public long MaxPixels { get; init; } = ImageDecodeLimits.Default.MaxPixels;

    /// <summary>
    /// A labelled dataset folder (the reference layout) evaluated after every epoch and only reported: metrics.csv rows
    /// of split <c>monitor</c>, TensorBoard and the epoch line. It never chooses the checkpoint (validation does), so a
    /// set of real photos can show how a model trained on generated images does on them while it trains. "" = off.
    /// </summary>
    public string Monitor { get; init; } = "";

    /// <summary>The split of <see cref="Monitor"/> evaluated (its CSV file's name); real photo sets often have only <c>test</c>.</summary>
    public string MonitorSplit { get; init; } = "test";

    /// <summary>Training augmentation.</summary>
    public AugmentConfig Augment { get; init; } = new();
}

/// <summary>Training augmentation (reference: rotation up to 10 degrees only).</summary>
public sealed record AugmentConfig
{
    /// <summary>Maximum absolute rotation in degrees.</summary>
    public float RotationDegrees { get; init; } = 10f;

    /// <summary>Random horizontal flip.</summary>
    public bool HorizontalFlip { get; init; }

    /// <summary>Brightness jitter (0: off).</summary>
    public float Brightness { get; init; }

    /// <summary>Contrast jitter (0: off).</summary>
    public float Contrast { get; init; }

    /// <summary>Saturation jitter (0: off).</summary>
    public float Saturation { get; init; }

    /// <summary>Random resized crop minimum area scale (1: off).</summary>
    public float CropMinScale { get; init; } = 1f;

    /// <summary>
    /// Re-encode each training image (at the input size) as JPEG at a quality drawn from [this, 100] (0: off), so the
    /// model cannot lean on fine detail one more compression destroys.
    /// </summary>
    public float JpegQualityMin { get; init; }

    /// <summary>Probability of a Gaussian blur with sigma drawn from [0.1, 2.0] pixels at the input size (0: off).</summary>
    public float BlurProbability { get; init; }

    /// <summary>
    /// Largest aspect ratio of a view stretched to the square input (1: off). Generated images are square; a phone photo
    /// is 4:3 or 16:9 and is stretched to the square input, so its shapes are 1.33-1.78x longer one way than in anything
    /// generated. 1.78 crops a window of a random ratio between 9:16 and 16:9 and stretches it back, the same distortion.
    /// </summary>
    public float AspectStretch { get; init; } = 1f;

    /// <summary>
    /// Lower end of the chroma range (0: off, with <see cref="ChromaMax"/> 0). Each image's saturation is scaled so that its
    /// mean chroma becomes a value drawn log-uniformly from [chroma_min, chroma_max] for every class alike: generated
    /// not-documents and screens are more colourful than generated documents, phone photos are less colourful than all of
    /// them, and a model should not tell a class by it.
    /// </summary>
    public float ChromaMin { get; init; }

    /// <summary>Upper end of the chroma range (0: off); see <see cref="ChromaMin"/>.</summary>
    public float ChromaMax { get; init; }

    /// <summary>
    /// Largest standard deviation, in 8-bit levels, of Gaussian noise added to every channel (0: off); each image draws its
    /// own from [0, noise]. Generated screens carry fine colour texture (their sub-pixel grid) that the other classes lack, and a
    /// model can learn any fine colour texture as "screen"; phone photos of everything else have such texture too.
    /// </summary>
    public float Noise { get; init; }

    /// <summary>The imaging library's options.</summary>
    public AugmentationOptions ToOptions() => new(
        MaxRotationDegrees: RotationDegrees, HorizontalFlip: HorizontalFlip, BrightnessJitter: Brightness,
        ContrastJitter: Contrast, SaturationJitter: Saturation, RandomResizedCropMinScale: CropMinScale,
        JpegQualityMin: JpegQualityMin, GaussianBlurProbability: BlurProbability, AspectStretchMax: AspectStretch,
        ChromaMin: ChromaMin, ChromaMax: ChromaMax, NoiseMax: Noise);
}

/// <summary>Model settings.</summary>
public sealed record ModelConfig
{
    /// <summary><c>two-headed</c> or <c>three-output</c>.</summary>
    public string Architecture { get; init; } = "two-headed";

    /// <summary>Backbone registry name.</summary>
    public string Backbone { get; init; } = "shufflenet_v2_x0_5";

    /// <summary>Channels of each head conv (two-headed).</summary>
    public int HeadChannels { get; init; } = 1024;

    /// <summary>Share one head conv between both heads (two-headed).</summary>
    public bool SharedHeadConv { get; init; }

    /// <summary>
    /// Two-headed: a second pair of heads reads the input averaged down 2x2 through the same trunk, each pair trained on
    /// its own loss, and the model outputs the mean of both views' probabilities (data.image_size is the fine view's size).
    /// </summary>
    public bool CoarseView { get; init; }

    /// <summary>
    /// Weights to start from (empty: random init): a checkpoint, a run folder (its best checkpoint) or a PyTorch
    /// state_dict of the reference model; see <see cref="InitialWeights"/>.
    /// </summary>
    public string Init { get; init; } = "";
}

/// <summary>Optimiser settings (Adam, StepLR).</summary>
public sealed record OptimConfig
{
    /// <summary>Learning rate.</summary>
    public double Lr { get; init; } = 1e-3;

    /// <summary>Weight decay.</summary>
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>StepLR step in epochs.</summary>
    public int StepSize { get; init; } = 4;

    /// <summary>StepLR factor.</summary>
    public double Gamma { get; init; } = 0.1;

    /// <summary>Epochs.</summary>
    public int Epochs { get; init; } = 9;

    /// <summary>
    /// Learning rate of the backbone relative to <see cref="Lr"/> (reference 1: one rate for all). Below 1 fine-tunes a
    /// pretrained backbone gently while the heads learn at the full rate; 0 freezes it.
    /// </summary>
    public double BackboneLrScale { get; init; } = 1.0;

    /// <summary>
    /// Decay of an exponential moving average of the weights (0: off, the reference). With e.g. 0.999, validation, the
    /// best checkpoint and exports use the average of the recent steps' weights instead of the last step's
    /// (<see cref="WeightAverage"/>).
    /// </summary>
    public double EmaDecay { get; init; }
}

/// <summary>Loss settings.</summary>
public sealed record LossConfig
{
    /// <summary>Cross-entropy label smoothing.</summary>
    public double LabelSmoothing { get; init; } = 0.1;

    /// <summary>Weight of head 1 (screen).</summary>
    public float ScreenWeight { get; init; } = 2f;

    /// <summary>Weight of head 2 (not a document).</summary>
    public float NotDocumentWeight { get; init; } = 1f;
}

/// <summary>Decision thresholds.</summary>
public sealed record ThresholdConfig
{
    /// <summary>Screen threshold.</summary>
    public double Screen { get; init; } = 0.5;

    /// <summary>Not-a-document threshold.</summary>
    public double NotDocument { get; init; } = 0.5;
}
