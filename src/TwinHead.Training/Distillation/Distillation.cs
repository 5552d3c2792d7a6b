using TwinHead.Core.Labels;
using TwinHead.Core.Models;
using TwinHead.Training.Models;
using TwinHead.Training.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using Conv2d = TorchSharp.Modules.Conv2d;

namespace TwinHead.Training.Distillation;

/// <summary>
/// Knowledge distillation settings (YAML section <c>distill</c>). Off unless <see cref="Teacher"/> names a checkpoint; the
/// defaults of temperature and weight are the usual Hinton-style recipe.
/// </summary>
public sealed record DistillConfig
{
    /// <summary>
    /// Teacher checkpoint (a TwinHead <c>.ckpt</c>, or a run folder: its <c>checkpoints/best.ckpt</c>); empty: no distillation.
    /// Its input size is the student's <c>data.image_size</c> or a whole multiple of it (see <see cref="Distiller"/>).
    /// </summary>
    public string Teacher { get; init; } = "";

    /// <summary>Softmax temperature T of both teacher and student in the soft loss.</summary>
    public double Temperature { get; init; } = 4.0;

    /// <summary>Weight α of the soft loss: loss = (1 − α) · hard + α · T² · KL.</summary>
    public double Alpha { get; init; } = 0.7;

    /// <summary>
    /// Weight β of the feature loss added to the above (0: off): the student's trunk feature map, through a learned 1x1
    /// projection to the teacher's channels, regresses the teacher's trunk map, scaled by the teacher map's mean square
    /// (a FitNets-style hint). With an ImageNet teacher trunk this passes on its features, not only its two decisions.
    /// Both models must be two-headed; the projection is trained with the student but is not part of its checkpoint.
    /// </summary>
    public double FeatureWeight { get; init; }

    /// <summary>
    /// Weight γ of hints on the trunks' intermediate stages (0: off): each student stage before the last (ShuffleNetV2's
    /// stage2 and stage3) regresses, through its own 1x1 projection, the teacher stage of the same stride (ResNet18's
    /// layer2 and layer3), with the loss of <see cref="FeatureWeight"/>; γ times their mean is added. Where the trunk's
    /// hint passes on what the teacher concludes, these pass on how its ImageNet filters see edges and textures.
    /// Both models must be two-headed with staged trunks; the projections train with the student and are not saved.
    /// </summary>
    public double StageWeight { get; init; }

    /// <summary>
    /// Whether the student's trunk learns from the hints alone (<see cref="FeatureWeight"/>, <see cref="StageWeight"/>): its
    /// heads see the trunk's map detached, so the label and soft losses train only the heads. The trunk then imitates the
    /// teacher's ImageNet trunk and nothing else, as the frozen-trunk teacher's heads sit on a trunk that never saw a
    /// generated image, instead of also learning whatever separates the generator's classes. Needs a feature weight.
    /// </summary>
    public bool HintOnlyTrunk { get; init; }

    /// <summary>
    /// Folder of unlabeled images (searched recursively; empty: none), for example photos from production that nobody has
    /// labelled. Each training step adds a batch of them, augmented like the training data, on which only the soft and
    /// feature losses act: the student learns the teacher's answers and features on pictures the labelled set lacks.
    /// </summary>
    public string Unlabeled { get; init; } = "";

    /// <summary>Unlabeled images per step (0: <c>data.batch_size</c>).</summary>
    public int UnlabeledBatchSize { get; init; }

    /// <summary>
    /// Mixed images added to every step (0: off): each is λ · a + (1 − λ) · b of two different images of the step's batch,
    /// λ drawn from Beta(<see cref="MixupAlpha"/>, <see cref="MixupAlpha"/>). Only the soft and feature losses act on them,
    /// so the student matches the teacher's whole function between the training images, not only its answers on them
    /// (the "function matching" of Beyer et al., 2022), at no labelling cost.
    /// </summary>
    public int MixupImages { get; init; }

    /// <summary>Concentration of the Beta distribution of the mixing weight λ (1: uniform; smaller: nearer to one image).</summary>
    public double MixupAlpha { get; init; } = 1.0;

    /// <summary>
    /// Probability that the student sees an image through a random convolution while the teacher sees it unchanged (0: off):
    /// a k x k kernel (k drawn from 1, 3, 5, 7 per step) of normal weights mixes the colour channels and local texture,
    /// the result is rescaled to the image's own channel means and deviations and blended with the image by a weight drawn
    /// uniformly (RandConv, Xu et al., 2021). To match the teacher's answers and features on such views the student must
    /// rely on shapes and layout more than on the colours and fine textures a generator gets wrong; the label loss sees
    /// them too. Applies to every image the student sees in a step (labelled, unlabeled and mixed).
    /// </summary>
    public double RandomConvolution { get; init; }

    /// <summary>Whether distillation is on.</summary>
    public bool IsEnabled() => Teacher.Length > 0;

    /// <summary>The checkpoint file <see cref="Teacher"/> names (a run folder's best checkpoint), or null when there is none.</summary>
    public string? TeacherCheckpoint() => Training.RunFolder.FindCheckpoint(Teacher);
}

/// <summary>
/// The distillation loss per head: (1 − α) · CE(student, label) + α · T² · KL(p_teacher^T ‖ p_student^T), heads weighted as
/// the hard loss is (screen 2, not-document 1). The T² factor keeps the soft gradients' scale independent of T.
/// Logits may have more rows than there are labels: the rows past the labels are unlabeled images, which only the soft term sees.
/// </summary>
/// <param name="Temperature">T (&gt; 0).</param>
/// <param name="Alpha">α in [0, 1].</param>
public sealed record DistillationLoss(double Temperature, double Alpha)
{
    /// <summary>The loss of <paramref name="studentLogits"/> against the labels and <paramref name="teacherLogits"/>.</summary>
    public Tensor Compute(Architecture student, Tensor studentLogits, Architecture teacher, Tensor teacherLogits, Tensor labels, LossSettings settings)
    {
        using var scope = NewDisposeScope();
        var labeled = labels.shape[0];
        if (labeled > studentLogits.shape[0]) throw new ArgumentException($"{labeled} labels for {studentLogits.shape[0]} rows of logits", nameof(labels));
        var hard = student.Loss(studentLogits.narrow(0, 0, labeled), labels, settings);
        var soft = SoftLoss(student, studentLogits, teacher, teacherLogits.detach(), settings);
        // With α = 0 this is exactly the hard loss (1 · hard + 0 · soft).
        var total = hard.Times(1 - Alpha).Plus(soft.Times(Alpha * Temperature * Temperature));
        return total.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Σ over heads of weight · KL(teacher ‖ student) at temperature T, batch mean. A two-headed student learns each head's pair
    /// from the teacher's head (a three-output teacher's head distribution is p(class) against the rest); a three-output
    /// student learns the teacher's three-way distribution (the teacher must be three-output too).
    /// </summary>
    public Tensor SoftLoss(Architecture student, Tensor studentLogits, Architecture teacher, Tensor teacherLogits, LossSettings settings)
    {
        using var scope = NewDisposeScope();
        Tensor total;
        if (student == Architecture.ThreeOutput)
        {
            if (teacher != Architecture.ThreeOutput)
                throw new NotSupportedException("distill: a three-output student needs a three-output teacher (a two-headed teacher has no three-way distribution)");
            total = KullbackLeibler(functional.log_softmax(teacherLogits.DividedBy(Temperature), 1), functional.log_softmax(studentLogits.DividedBy(Temperature), 1));
        }
        else
        {
            total = zeros(1, dtype: studentLogits.dtype).squeeze();
            foreach (var (head, index) in Head.Both.Select((h, i) => (h, i)))
            {
                var studentLog = functional.log_softmax(studentLogits.narrow(1, 2 * index, 2).DividedBy(Temperature), 1);
                total = total.Plus(KullbackLeibler(TeacherHeadLogProbabilities(teacher, teacherLogits, head, index), studentLog).Times(settings.WeightOf(head)));
            }
        }
        return total.MoveToOuterDisposeScope();
    }

    private Tensor TeacherHeadLogProbabilities(Architecture teacher, Tensor logits, Head head, int index)
    {
        if (teacher == Architecture.TwoHeaded) return functional.log_softmax(logits.narrow(1, 2 * index, 2).DividedBy(Temperature), 1);
        var positive = functional.softmax(logits.DividedBy(Temperature), 1).select(1, (long)head.PositiveClass);
        return stack([positive.OneMinus(), positive], 1).AtLeast(1e-12).log();
    }

    /// <summary>Mean over the batch of Σ_c p_t(c) · (log p_t(c) − log p_s(c)).</summary>
    private static Tensor KullbackLeibler(Tensor teacherLog, Tensor studentLog) =>
        (teacherLog.exp() * (teacherLog - studentLog)).sum(1).mean();
}

/// <summary>A frozen teacher run in eval mode without gradients on the student's batch, and the loss that uses it.</summary>
public sealed class Distiller : IDisposable
{
    private readonly LoadedCheckpoint teacher;
    private readonly double featureWeight;
    private readonly double stageWeight;
    private readonly bool hintOnlyTrunk;
    private readonly int mixupImages;
    private readonly double mixupAlpha;
    private readonly int mixupSeed;
    private Random mixupRandom;
    private readonly double randomConvolution;
    private Random convolutionRandom;
    private readonly TorchSharp.Modules.Sequential? hints;

    /// <summary>The kernel sizes a random convolution draws from.</summary>
    public static IReadOnlyList<int> RandomKernelSizes { get; } = [1, 3, 5, 7];

    /// <summary>
    /// Loads the teacher named by <paramref name="config"/>. Its normalisation and resize mode must equal the student's
    /// <paramref name="studentInput"/>; its input size must equal the student's or be an integer multiple of it, in which case
    /// training batches are prepared at the teacher's size and the student sees them box-averaged down to its own
    /// (a 256 px teacher keeps the detail it was trained on while teaching a 128 px student).
    /// With <see cref="DistillConfig.FeatureWeight"/> &gt; 0 it also builds the projection from <paramref name="student"/>'s trunk to the teacher's.
    /// </summary>
    /// <param name="config">The distillation settings.</param>
    /// <param name="studentInput">The student's preprocessing.</param>
    /// <param name="student">The student model.</param>
    /// <param name="seed">Seed of the mixed images' pairs and weights (<see cref="DistillConfig.MixupImages"/>).</param>
    public Distiller(DistillConfig config, PreprocessingSpec studentInput, BuiltModel student, int seed = 0)
    {
        if (!config.IsEnabled()) throw new ArgumentException("distill.teacher is empty", nameof(config));
        teacher = CheckpointFile.Load(config.TeacherCheckpoint() ?? throw new FileNotFoundException($"distill.teacher '{config.Teacher}': no such checkpoint or run folder with checkpoints/best.ckpt", config.Teacher));
        var input = teacher.Metadata.Preprocessing;
        var scale = input.Width / studentInput.Width;
        if (scale < 1 || input.Width != scale * studentInput.Width || input.Height != scale * studentInput.Height
            || !input.Mean.SequenceEqual(studentInput.Mean) || !input.Std.SequenceEqual(studentInput.Std) || input.Resize != studentInput.Resize)
        {
            teacher.Dispose();
            throw new Core.Config.ConfigException(
                $"distill.teacher '{config.Teacher}' was trained on {input.Width}x{input.Height} ({input.Resize}) input, the student uses {studentInput.Width}x{studentInput.Height} ({studentInput.Resize}); " +
                "the teacher's input size must be data.image_size or a whole multiple of it, with the same resize mode and normalisation");
        }
        InputScale = scale;
        TeacherInput = input;
        featureWeight = config.FeatureWeight;
        stageWeight = config.StageWeight;
        hintOnlyTrunk = config.HintOnlyTrunk;
        if (featureWeight > 0 || stageWeight > 0)
        {
            if (teacher.Model.Network is not TwoHeadedNetwork teacherNetwork || student.Network is not TwoHeadedNetwork studentNetwork)
            {
                teacher.Dispose();
                throw new Core.Config.ConfigException($"distill.{(featureWeight > 0 ? "feature_weight" : "stage_weight")} needs a two-headed teacher and a two-headed student (it matches their trunks' feature maps)");
            }
            if (featureWeight > 0) Projection = Conv2d(studentNetwork.TrunkChannels, teacherNetwork.TrunkChannels, 1);
            if (stageWeight > 0)
            {
                StagePairs = PairStages(studentNetwork.TrunkStages, teacherNetwork.TrunkStages);
                if (StagePairs.Count == 0)
                {
                    Projection?.Dispose();
                    teacher.Dispose();
                    throw new Core.Config.ConfigException("distill.stage_weight: the student's and the teacher's trunks have no intermediate stages of equal stride to match");
                }
            }
        }
        if (Projection is not null || StagePairs.Count > 0)
        {
            // One module naming every projection, for saving them with resumable checkpoints.
            var named = new List<(string, Module<Tensor, Tensor>)>();
            if (Projection is not null) named.Add(("trunk", Projection));
            named.AddRange(StagePairs.Select((p, i) => ($"stage{i}", (Module<Tensor, Tensor>)p.Projection)));
            hints = Sequential(named);
        }
        teacher.Model.Network.eval();
        foreach (var p in teacher.Model.Network.parameters()) p.requires_grad = false;
        Loss = new DistillationLoss(config.Temperature, config.Alpha);
        mixupImages = config.MixupImages;
        mixupAlpha = config.MixupAlpha;
        mixupSeed = seed;
        mixupRandom = new Random(seed);
        randomConvolution = config.RandomConvolution;
        convolutionRandom = new Random(unchecked(seed * 104729 + 1));
    }

    /// <summary>
    /// Reseeds the generators of the mixed images and the random convolutions from the seed and <paramref name="epoch"/>, so
    /// a resumed run draws as an uninterrupted one.
    /// </summary>
    public void StartEpoch(int epoch)
    {
        mixupRandom = new Random(unchecked(mixupSeed * 7919 + epoch));
        convolutionRandom = new Random(unchecked(mixupSeed * 104729 + epoch * 31 + 1));
    }

    /// <summary>The teacher model.</summary>
    public BuiltModel Teacher => teacher.Model;

    /// <summary>The loss settings.</summary>
    public DistillationLoss Loss { get; }

    /// <summary>The teacher's input, at which training batches are prepared (the student's own input when <see cref="InputScale"/> is 1).</summary>
    public PreprocessingSpec TeacherInput { get; }

    /// <summary>Teacher input size over student input size (a whole number, 1 when they are equal).</summary>
    public int InputScale { get; }

    /// <summary>
    /// The student's view of a batch at <see cref="TeacherInput"/>: itself, or averaged over InputScale x InputScale blocks;
    /// then, with <see cref="DistillConfig.RandomConvolution"/>, some images seen through <see cref="RandomConvolution"/>.
    /// </summary>
    public Tensor StudentView(Tensor x)
    {
        var view = InputScale == 1 ? x : functional.avg_pool2d(x, InputScale);
        return randomConvolution > 0 ? RandomConvolution(view, randomConvolution) : view;
    }

    /// <summary>
    /// Each image of <paramref name="x"/> (N x C x H x W) chosen with <paramref name="probability"/> becomes
    /// λ · x + (1 − λ) · s, λ ~ U(0, 1), where s is x convolved with its own random k x k kernel (C to C channels, weights
    /// N(0, 1/(C k²)), reflected borders) and rescaled to x's per-channel mean and standard deviation; the others are
    /// unchanged. One k per call; kernels, choices and λ come from this distiller's generator, not LibTorch's.
    /// </summary>
    public Tensor RandomConvolution(Tensor x, double probability)
    {
        using var scope = NewDisposeScope();
        var (n, c, h, w) = ((int)x.shape[0], (int)x.shape[1], x.shape[2], x.shape[3]);
        var k = RandomKernelSizes[convolutionRandom.Next(RandomKernelSizes.Count)];
        var sigma = 1 / Math.Sqrt(c * k * k);
        var weights = new float[n * c * c * k * k];
        for (var i = 0; i < weights.Length; i++) weights[i] = (float)(sigma * StandardNormal(convolutionRandom));
        var keep = new float[n];
        for (var i = 0; i < n; i++) keep[i] = convolutionRandom.NextDouble() < probability ? (float)convolutionRandom.NextDouble() : 1f;
        // One grouped convolution gives every image its own kernel.
        var padded = k == 1 ? x : functional.pad(x, [k / 2, k / 2, k / 2, k / 2], TorchSharp.PaddingModes.Reflect);
        var kernels = tensor(weights).to_type(x.dtype).view(n * c, c, k, k);
        var convolved = functional.conv2d(padded.reshape(1, n * c, padded.shape[2], padded.shape[3]), kernels, groups: n).view(n, c, h, w);
        long[] spatial = [2, 3];
        var (mean, std) = (x.mean(spatial, keepdim: true), x.std(spatial, keepdim: true));
        // Plus rather than add/sub: those pass LibTorch a temporary scalar (see TensorArithmetic).
        var styled = convolved.Plus(convolved.mean(spatial, keepdim: true).neg()).div(convolved.std(spatial, keepdim: true).AtLeast(1e-5)).mul(std).Plus(mean);
        var lambda = tensor(keep).to_type(x.dtype).view(n, 1, 1, 1);
        return x.mul(lambda).Plus(styled.mul(lambda.OneMinus())).MoveToOuterDisposeScope();
    }

    /// <summary>A standard normal draw by Box-Muller (1 - U keeps the logarithm finite).</summary>
    private static double StandardNormal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Student trunk channels to teacher trunk channels (1x1 conv) when feature distillation is on; its parameters train with the student.</summary>
    public Conv2d? Projection { get; }

    /// <summary>The intermediate stages matched by <see cref="DistillConfig.StageWeight"/>, each with its projection (empty when off).</summary>
    public IReadOnlyList<StagePair> StagePairs { get; } = [];

    /// <summary>The parameters that train beside the student's: the projections of every hint.</summary>
    public IReadOnlyList<TorchSharp.Modules.Parameter> HintParameters() =>
        (Projection?.parameters() ?? []).Concat(StagePairs.SelectMany(p => p.Projection.parameters())).ToArray();

    /// <summary>
    /// The hints' projections as a PyTorch-format state dict (<c>trunk.*</c>, <c>stage0.*</c>, ...), so a resumed run
    /// continues with them instead of fresh ones; null when there are no hints.
    /// </summary>
    public byte[]? SaveHints()
    {
        if (hints is null) return null;
        var buffer = new MemoryStream();
        TorchSharp.PyBridge.PyBridgeModuleExtensions.save_py(hints, buffer);
        return buffer.ToArray();
    }

    /// <summary>Loads projections written by <see cref="SaveHints"/>; throws <see cref="InvalidDataException"/> naming <paramref name="source"/> when they do not fit.</summary>
    public void LoadHints(byte[] state, string source)
    {
        if (hints is null)
            throw new InvalidDataException($"{source}: holds distillation hint projections, but this run has no hints (distill.feature_weight and distill.stage_weight are 0)");
        try
        {
            TorchSharp.PyBridge.PyBridgeModuleExtensions.load_py(hints, new MemoryStream(state), strict: true);
        }
        catch (Exception e)
        {
            throw new InvalidDataException($"{source}: its distillation hint projections do not fit this run's hints: {e.Message}", e);
        }
    }

    /// <summary>
    /// Each student stage before the last paired with the teacher stage of the same stride, if any. Strides are relative to
    /// each model's own input, so a teacher at twice the student's input pairs the same way (its maps are pooled to the student's).
    /// </summary>
    private static List<StagePair> PairStages(IReadOnlyList<TrunkStage>? student, IReadOnlyList<TrunkStage>? teacher)
    {
        if (student is null || teacher is null) return [];
        var pairs = new List<StagePair>();
        foreach (var (stage, index) in student.SkipLast(1).Select((s, i) => (s, i)))
        {
            var match = teacher.Select((t, i) => (t, i)).Where(t => t.t.Stride == stage.Stride && t.i < teacher.Count - 1).ToList();
            if (match.Count == 1) pairs.Add(new StagePair(index, match[0].i, $"{stage.Name}->{match[0].t.Name}", Conv2d(stage.Channels, match[0].t.Channels, 1)));
        }
        return pairs;
    }

    /// <summary>Teacher logits for <paramref name="x"/> (eval mode, no gradient), in float32 even when computed under autocast.</summary>
    public Tensor TeacherLogits(Tensor x)
    {
        using var noGrad = no_grad();
        return teacher.Model.Network.call(x).to_type(ScalarType.Float32);
    }

    /// <summary>
    /// The student's forward pass and the distillation loss of the batch <paramref name="x"/>, given at <see cref="TeacherInput"/>
    /// (float32 logits and loss). <paramref name="unlabeled"/> images, when given, go through both models in the same pass
    /// (so BatchNorm sees one batch) and add soft and feature terms only; the logits returned are those of <paramref name="x"/>.
    /// </summary>
    public (Tensor Logits, Tensor Loss) Step(BuiltModel student, Tensor x, Tensor labels, LossSettings settings, Tensor? unlabeled = null)
    {
        var labeled = x.shape[0];
        var mixed = mixupImages > 0 && labeled > 1 ? Mix(x, mixupImages) : null;
        if (unlabeled is not null) x = cat([x, unlabeled], 0);
        if (mixed is not null) x = cat([x, mixed], 0);
        var studentX = StudentView(x);
        if (Projection is null && StagePairs.Count == 0)
        {
            var logits = student.Network.call(studentX).to_type(ScalarType.Float32);
            return (logits.narrow(0, 0, labeled), Loss.Compute(student.Architecture, logits, teacher.Model.Architecture, TeacherLogits(x), labels, settings));
        }
        Tensor teacherLogits;
        IReadOnlyList<Tensor> teacherStages;
        using (no_grad())
        {
            var (tl, ts) = ((TwoHeadedNetwork)teacher.Model.Network).ForwardWithStages(x);
            (teacherLogits, teacherStages) = (tl.to_type(ScalarType.Float32), ts.Select(t => t.to_type(ScalarType.Float32)).ToList());
        }
        var (studentLogits, studentStages) = ((TwoHeadedNetwork)student.Network).ForwardWithStages(studentX, detachTrunk: hintOnlyTrunk);
        studentLogits = studentLogits.to_type(ScalarType.Float32);
        var loss = Loss.Compute(student.Architecture, studentLogits, teacher.Model.Architecture, teacherLogits, labels, settings);
        if (Projection is not null) loss = loss.Plus(FeatureLoss(studentStages[^1], teacherStages[^1]).Times(featureWeight));
        if (StagePairs.Count > 0)
        {
            var stageLoss = StagePairs.Select(p => HintLoss(p.Projection, studentStages[p.StudentStage], teacherStages[p.TeacherStage]))
                .Aggregate((a, b) => a.Plus(b));
            loss = loss.Plus(stageLoss.Times(stageWeight / StagePairs.Count));
        }
        return (studentLogits.narrow(0, 0, labeled), loss);
    }

    /// <summary>
    /// <paramref name="count"/> mixtures λ · x[i] + (1 − λ) · x[j] of rows i ≠ j of <paramref name="x"/>, pairs and
    /// λ ~ Beta(α, α) drawn in managed code from this distiller's own generator (so they neither depend on nor disturb
    /// LibTorch's global one, and no temporary scalar reaches LibTorch).
    /// </summary>
    public Tensor Mix(Tensor x, int count)
    {
        using var scope = NewDisposeScope();
        var n = (int)x.shape[0];
        if (n < 2) throw new ArgumentException("mixing needs at least two images", nameof(x));
        var (first, second) = (new long[count], new long[count]);
        var (weights, complements) = (new float[count], new float[count]);
        for (var i = 0; i < count; i++)
        {
            first[i] = mixupRandom.Next(n);
            // An offset in 1..n-1 makes the partner a different row.
            second[i] = (first[i] + 1 + mixupRandom.Next(n - 1)) % n;
            var lambda = SampleBeta(mixupRandom, mixupAlpha);
            (weights[i], complements[i]) = ((float)lambda, (float)(1 - lambda));
        }
        Tensor Column(float[] values) => tensor(values).to_type(x.dtype).view(count, 1, 1, 1);
        var a = x.index_select(0, tensor(first)).mul(Column(weights));
        var b = x.index_select(0, tensor(second)).mul(Column(complements));
        return a.Plus(b).MoveToOuterDisposeScope();
    }

    /// <summary>Beta(α, α) as G₁ / (G₁ + G₂) of two Gamma(α, 1) draws.</summary>
    private static double SampleBeta(Random random, double alpha)
    {
        var (g1, g2) = (SampleGamma(random, alpha), SampleGamma(random, alpha));
        // Both can underflow to 0 for a tiny α, where Beta(α, α) puts its mass at 0 and 1 alike.
        return g1 + g2 > 0 ? g1 / (g1 + g2) : random.Next(2);
    }

    /// <summary>Gamma(k, 1) by Marsaglia and Tsang's squeeze method; k &lt; 1 through Gamma(k + 1) · U^(1/k).</summary>
    private static double SampleGamma(Random random, double k)
    {
        if (k < 1) return SampleGamma(random, k + 1) * Math.Pow(1 - random.NextDouble(), 1 / k);
        var d = k - 1.0 / 3;
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            var z = StandardNormal(random);
            var v = Math.Pow(1 + c * z, 3);
            if (v <= 0) continue;
            var u = 1 - random.NextDouble();
            if (Math.Log(u) < 0.5 * z * z + d - d * v + d * Math.Log(v)) return d * v;
        }
    }

    /// <summary>
    /// ‖P(student) − teacher‖² / ‖teacher‖², means over every element. When the maps differ in size, the larger is
    /// average-pooled to the smaller (a teacher at twice the student's input has a map twice as large).
    /// </summary>
    public Tensor FeatureLoss(Tensor studentTrunk, Tensor teacherTrunk) =>
        HintLoss(Projection ?? throw new InvalidOperationException("distill.feature_weight is 0: there is no trunk projection"), studentTrunk, teacherTrunk);

    /// <summary>The loss of <see cref="FeatureLoss"/> for any pair of maps and the projection between them.</summary>
    public static Tensor HintLoss(Conv2d projection, Tensor studentMap, Tensor teacherMap)
    {
        using var scope = NewDisposeScope();
        var projected = projection.call(studentMap).to_type(ScalarType.Float32);
        var target = teacherMap.detach();
        var (h, w) = (Math.Min(projected.shape[2], target.shape[2]), Math.Min(projected.shape[3], target.shape[3]));
        if (projected.shape[2] != h || projected.shape[3] != w) projected = functional.adaptive_avg_pool2d(projected, [h, w]);
        if (target.shape[2] != h || target.shape[3] != w) target = functional.adaptive_avg_pool2d(target, [h, w]);
        return ((projected - target).square().mean() / target.square().mean().AtLeast(1e-8)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        hints?.Dispose();
        Projection?.Dispose();
        foreach (var pair in StagePairs) pair.Projection.Dispose();
        teacher.Dispose();
    }
}

/// <summary>A student stage taught by the teacher stage of the same stride.</summary>
/// <param name="StudentStage">Index into the student trunk's stages.</param>
/// <param name="TeacherStage">Index into the teacher trunk's stages.</param>
/// <param name="Name">For logs: <c>stage2-&gt;layer2</c>.</param>
/// <param name="Projection">Student channels to teacher channels (1x1 conv).</param>
public sealed record StagePair(int StudentStage, int TeacherStage, string Name, Conv2d Projection);
