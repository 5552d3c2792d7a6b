using TwinHead.Core.Labels;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TwinHead.Training.Models;

/// <summary>Loss settings; defaults are the reference (label smoothing 0.1, head weights 2 and 1, no class weights).</summary>
/// <param name="LabelSmoothing">Cross-entropy label smoothing.</param>
/// <param name="ScreenWeight">Weight of head 1.</param>
/// <param name="NotDocumentWeight">Weight of head 2.</param>
/// <param name="ClassWeights">Optional per-class weights of the three-way label (length 3).</param>
public sealed record LossSettings(double LabelSmoothing = 0.1, float ScreenWeight = 2f, float NotDocumentWeight = 1f, float[]? ClassWeights = null)
{
    /// <summary>The weight of a head's loss.</summary>
    public float WeightOf(Head head) => head == Head.Screen ? ScreenWeight : NotDocumentWeight;
}

/// <summary>
/// How a network's logits map to the two head probabilities and to the training loss. The two-headed network emits
/// (N, 4) logits (screen pair, not-document pair); the three-output network emits (N, 3) class logits.
/// </summary>
public abstract class Architecture
{
    /// <summary>The two-headed architecture (reference loss 2 * CE(screen) + 1 * CE(not_document)).</summary>
    public static Architecture TwoHeaded { get; } = new TwoHeadedArchitecture();

    /// <summary>The three-output (softmax over 3 classes) architecture.</summary>
    public static Architecture ThreeOutput { get; } = new ThreeOutputArchitecture();

    /// <summary>All architectures.</summary>
    public static IReadOnlyList<Architecture> All { get; } = [TwoHeaded, ThreeOutput];

    /// <summary>Artifact name: <c>two-headed</c> or <c>three-output</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Width of the logits row.</summary>
    public abstract int LogitCount { get; }

    /// <summary>Looks an architecture up by name; throws naming the known ones.</summary>
    public static Architecture Parse(string name) =>
        All.FirstOrDefault(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"model.architecture '{name}' is unknown; known: {string.Join(", ", All.Select(a => a.Name))}");

    /// <summary>Training loss for a batch of logits and three-way labels (int64, shape N).</summary>
    public abstract Tensor Loss(Tensor logits, Tensor labels, LossSettings settings);

    /// <summary>p(screen) and p(not_document) per sample, each shape N.</summary>
    public abstract (Tensor Screen, Tensor NotDocument) Probabilities(Tensor logits);

    /// <summary>Per-head loss values for logging (name, loss), without weights.</summary>
    public abstract IReadOnlyList<(string Head, Tensor Loss)> HeadLosses(Tensor logits, Tensor labels, double labelSmoothing);

    private sealed class TwoHeadedArchitecture : Architecture
    {
        public override string Name => "two-headed";

        public override int LogitCount => 4;

        public override Tensor Loss(Tensor logits, Tensor labels, LossSettings settings)
        {
            using var scope = NewDisposeScope();
            var (labelSmoothing, classWeights) = (settings.LabelSmoothing, settings.ClassWeights);
            var total = zeros(1, dtype: logits.dtype).squeeze();
            foreach (var (head, index) in Head.Both.Select((h, i) => (h, i)))
            {
                var target = labels.EqualTo((long)head.PositiveClass).to_type(ScalarType.Int64);
                var headLogits = logits.narrow(1, 2 * index, 2);
                Tensor loss;
                if (classWeights is null)
                {
                    loss = functional.cross_entropy(headLogits, target, label_smoothing: labelSmoothing);
                }
                else
                {
                    // Weight each sample by its three-way class, so class balancing acts on both heads alike.
                    var perSample = functional.cross_entropy(headLogits, target, reduction: Reduction.None, label_smoothing: labelSmoothing);
                    var weights = tensor(classWeights, device: logits.device).index_select(0, labels);
                    loss = (perSample * weights).sum() / weights.sum();
                }
                total = total.Plus(loss.Times(settings.WeightOf(head)));
            }
            return total.MoveToOuterDisposeScope();
        }

        public override (Tensor Screen, Tensor NotDocument) Probabilities(Tensor logits)
        {
            using var scope = NewDisposeScope();
            var screen = functional.softmax(logits.narrow(1, 0, 2), 1).select(1, 1);
            var notDocument = functional.softmax(logits.narrow(1, 2, 2), 1).select(1, 1);
            return (screen.MoveToOuterDisposeScope(), notDocument.MoveToOuterDisposeScope());
        }

        public override IReadOnlyList<(string Head, Tensor Loss)> HeadLosses(Tensor logits, Tensor labels, double labelSmoothing) =>
            Head.Both.Select((head, index) => (head.Name, functional.cross_entropy(
                logits.narrow(1, 2 * index, 2), labels.EqualTo((long)head.PositiveClass).to_type(ScalarType.Int64), label_smoothing: labelSmoothing))).ToArray();
    }

    private sealed class ThreeOutputArchitecture : Architecture
    {
        public override string Name => "three-output";

        public override int LogitCount => DocumentClasses.Count;

        public override Tensor Loss(Tensor logits, Tensor labels, LossSettings settings)
        {
            using var scope = NewDisposeScope();
            var weight = settings.ClassWeights is null ? null : tensor(settings.ClassWeights, device: logits.device);
            return functional.cross_entropy(logits, labels, weight: weight, label_smoothing: settings.LabelSmoothing).MoveToOuterDisposeScope();
        }

        public override (Tensor Screen, Tensor NotDocument) Probabilities(Tensor logits)
        {
            using var scope = NewDisposeScope();
            var p = functional.softmax(logits, 1);
            return (p.select(1, (int)DocumentClass.Screen).MoveToOuterDisposeScope(),
                    p.select(1, (int)DocumentClass.NotDocument).MoveToOuterDisposeScope());
        }

        public override IReadOnlyList<(string Head, Tensor Loss)> HeadLosses(Tensor logits, Tensor labels, double labelSmoothing) =>
            [("three_way", functional.cross_entropy(logits, labels, label_smoothing: labelSmoothing))];
    }
}
