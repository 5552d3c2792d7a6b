using System.Globalization;
using System.Text;

namespace TwinHead.Synthetic;

/// <summary>Plausible-looking words, sentences, numbers, dates and amounts for rendered pages and screens.</summary>
internal static class TextSource
{
    private static readonly string[] Words =
    [
        "the", "of", "and", "to", "in", "for", "is", "on", "that", "by", "this", "with", "you", "it", "not", "or", "be",
        "are", "from", "at", "as", "your", "all", "have", "new", "more", "an", "was", "we", "will", "can", "about",
        "page", "date", "total", "amount", "service", "account", "number", "payment", "order", "customer", "please",
        "information", "report", "section", "office", "policy", "agreement", "notice", "period", "balance", "address",
        "request", "contract", "signature", "department", "meeting", "project", "review", "committee", "annual",
        "statement", "reference", "delivery", "item", "quantity", "price", "tax", "due", "receipt", "thank", "visit",
        "store", "cash", "card", "change", "subtotal", "discount", "member", "name", "city", "phone", "email", "street",
        "however", "therefore", "following", "between", "within", "during", "before", "after", "under", "provided",
        "shall", "must", "should", "would", "could", "may", "which", "their", "there", "these", "those", "other",
        "results", "method", "analysis", "data", "study", "table", "figure", "chapter", "system", "process", "value",
        "health", "insurance", "school", "student", "course", "grade", "bank", "credit", "loan", "rate", "interest",
        "morning", "evening", "letter", "dear", "sincerely", "regards", "thanks", "attached", "enclosed", "copy",
        "weather", "market", "energy", "water", "light", "house", "family", "children", "people", "world", "time",
        "year", "week", "month", "day", "first", "last", "next", "number", "line", "form", "field", "check", "yes", "no",
    ];

    private static readonly string[] Titles =
    [
        "INVOICE", "RECEIPT", "Application Form", "Annual Report", "Meeting Minutes", "NOTICE", "Statement", "Contract",
        "Purchase Order", "Delivery Note", "Certificate", "Registration", "Memorandum", "Quarterly Review", "Chapter",
        "Tax Return", "Medical Record", "Lease Agreement", "Timetable", "Menu", "Bill of Sale", "Order Confirmation",
    ];

    private static readonly string[] Shops =
    [
        "FRESH MART", "CORNER DELI", "CITY PHARMACY", "BLUE CAFE", "SUPERSTORE", "GREEN GROCER", "BOOK NOOK",
        "HARDWARE PLUS", "DUMPLING HOUSE", "QUICK STOP", "MARKET HALL", "PIZZA ROMA", "TOWN BAKERY",
    ];

    public static string Word(SampleRandom rng) => rng.Pick(Words);

    public static string Title(SampleRandom rng) => rng.Pick(Titles);

    public static string Shop(SampleRandom rng) => rng.Pick(Shops);

    /// <summary>A sentence of about <paramref name="words"/> words, capitalised, sometimes with punctuation.</summary>
    public static string Sentence(SampleRandom rng, int words)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < words; i++)
        {
            if (i > 0) sb.Append(rng.Chance(0.06) ? ", " : " ");
            var w = rng.Chance(0.05) ? rng.Int(1, 999).ToString(CultureInfo.InvariantCulture) : Word(rng);
            if (i == 0) w = char.ToUpperInvariant(w[0]) + w[1..];
            sb.Append(w);
        }
        sb.Append(rng.Chance(0.85) ? '.' : ':');
        return sb.ToString();
    }

    public static string Amount(SampleRandom rng, double max = 500) =>
        (rng.NextDouble() * max).ToString("0.00", CultureInfo.InvariantCulture);

    public static string Date(SampleRandom rng) =>
        $"{rng.Int(1, 28):00}/{rng.Int(1, 12):00}/{rng.Int(2005, 2026)}";

    public static string Digits(SampleRandom rng, int count)
    {
        var sb = new StringBuilder(count);
        for (var i = 0; i < count; i++) sb.Append((char)('0' + rng.Int(0, 9)));
        return sb.ToString();
    }

    /// <summary>An upper-case label such as a product name or field caption.</summary>
    public static string Caps(SampleRandom rng, int words)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < words; i++)
        {
            if (i > 0) sb.Append(' ');
            sb.Append(Word(rng).ToUpperInvariant());
        }
        return sb.ToString();
    }
}
