using System.Text;
using System.Text.RegularExpressions;

namespace TwinHead.Inference;

/// <summary>An argument that named no image: a missing file or folder, or a glob that matched nothing.</summary>
/// <param name="Argument">The argument as given.</param>
/// <param name="Error">What is wrong.</param>
public sealed record UnmatchedPath(string Argument, string Error);

/// <summary>
/// Turns command-line arguments into image files: a file is taken as is (whatever its extension, so a mislabelled file is
/// reported rather than silently skipped), a folder yields its image files recursively, and a pattern with <c>*</c>,
/// <c>?</c> or <c>**</c> (any folders) yields the files it matches. Results are sorted per argument and de-duplicated.
/// </summary>
public static class ImagePaths
{
    /// <summary>Extensions a folder search picks up (case-insensitive).</summary>
    public static IReadOnlySet<string> ImageExtensions { get; } =
        new HashSet<string>([".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".ico", ".wbmp", ".heic", ".heif", ".avif", ".tif", ".tiff"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Expands <paramref name="arguments"/>; arguments that name nothing are returned in <c>Unmatched</c>.</summary>
    public static (IReadOnlyList<string> Files, IReadOnlyList<UnmatchedPath> Unmatched) Expand(IEnumerable<string> arguments)
    {
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unmatched = new List<UnmatchedPath>();
        foreach (var argument in arguments)
        {
            IEnumerable<string> found;
            if (File.Exists(argument)) found = [argument];
            else if (Directory.Exists(argument)) found = Directory.EnumerateFiles(argument, "*", SearchOption.AllDirectories).Where(IsImageName).Order(StringComparer.Ordinal);
            else if (argument.IndexOfAny(['*', '?']) >= 0) found = MatchGlob(argument);
            else
            {
                unmatched.Add(new UnmatchedPath(argument, $"{argument}: no such file or folder"));
                continue;
            }
            var matched = 0;
            foreach (var file in found)
            {
                matched++;
                if (seen.Add(Path.GetFullPath(file))) files.Add(file);
            }
            if (matched == 0)
                unmatched.Add(new UnmatchedPath(argument, Directory.Exists(argument) ? $"{argument}: folder has no image files" : $"{argument}: pattern matched no files"));
        }
        return (files, unmatched);
    }

    /// <summary>Whether a file name has one of <see cref="ImageExtensions"/>.</summary>
    public static bool IsImageName(string path) => ImageExtensions.Contains(Path.GetExtension(path));

    private static IEnumerable<string> MatchGlob(string pattern)
    {
        var normalized = pattern.Replace('\\', '/');
        var segments = normalized.Split('/');
        var firstWild = Array.FindIndex(segments, s => s.IndexOfAny(['*', '?']) >= 0);
        var baseDirectory = firstWild == 0 ? (normalized.StartsWith('/') ? "/" : ".") : string.Join('/', segments[..firstWild]);
        if (baseDirectory.Length == 0) baseDirectory = "/";
        if (!Directory.Exists(baseDirectory)) return [];
        var regex = new Regex("^" + GlobToRegex(string.Join('/', segments[firstWild..])) + "$", RegexOptions.CultureInvariant);
        var recursive = segments.Length - firstWild > 1 || normalized.Contains("**", StringComparison.Ordinal);
        return Directory.EnumerateFiles(baseDirectory, "*", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
            .Where(f => regex.IsMatch(Path.GetRelativePath(baseDirectory, f).Replace('\\', '/')))
            .Select(f => baseDirectory == "." ? Path.GetRelativePath(".", f) : f)
            .Order(StringComparer.Ordinal);
    }

    private static string GlobToRegex(string glob)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                // "**/" matches zero or more folders; a bare "**" anything.
                if (i + 2 < glob.Length && glob[i + 2] == '/') { regex.Append("(?:.*/)?"); i += 2; }
                else { regex.Append(".*"); i++; }
            }
            else if (c == '*') regex.Append("[^/]*");
            else if (c == '?') regex.Append("[^/]");
            else regex.Append(Regex.Escape(c.ToString()));
        }
        return regex.ToString();
    }
}
