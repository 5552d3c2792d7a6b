namespace TwinHead.Core.Labels;

/// <summary>The three classes of the reference dataset. The numeric values are the labels in the split CSVs.</summary>
public enum DocumentClass
{
    /// <summary>A photo of a real paper document (folder <c>documents/</c>).</summary>
    Document = 0,

    /// <summary>Anything that is not a document (folder <c>not a documents/</c>, sic).</summary>
    NotDocument = 1,

    /// <summary>A photo of a screen, whatever it shows (folder <c>screens/</c>).</summary>
    Screen = 2,
}

/// <summary>The explicit label map: names, reference folder names and parsing. Never derived from directory listing order.</summary>
public static class DocumentClasses
{
    /// <summary>All classes in label order.</summary>
    public static IReadOnlyList<DocumentClass> All { get; } = [DocumentClass.Document, DocumentClass.NotDocument, DocumentClass.Screen];

    /// <summary>Number of classes of the three-way task.</summary>
    public const int Count = 3;

    /// <summary>Machine-friendly class names in label order, as written into artifacts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["document", "not_document", "screen"];

    /// <summary>The reference dataset's folder for each class (note the reference's "not a documents").</summary>
    public static string FolderOf(DocumentClass c) => c switch
    {
        DocumentClass.Document => "documents",
        DocumentClass.NotDocument => "not a documents",
        DocumentClass.Screen => "screens",
        _ => throw new ArgumentOutOfRangeException(nameof(c), c, "not a TwinHead class"),
    };

    /// <summary>Machine-friendly name of a class.</summary>
    public static string NameOf(DocumentClass c) => Names[(int)c];

    /// <summary>Parses a label as written in a split CSV ("0", "1", "2"); returns false for anything else.</summary>
    public static bool TryParseLabel(string text, out DocumentClass label)
    {
        label = default;
        if (!int.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            || value < 0 || value >= Count)
        {
            return false;
        }
        label = (DocumentClass)value;
        return true;
    }
}
