using System.Globalization;

namespace Helpline.Officers.Roster;

/// <summary>
/// Deterministic, made-up officer identities for the generated roster. The same officer number always yields the same
/// name and mobile number. None of them is a real person; see <c>Roster/README.md</c>.
/// </summary>
internal static class FakeIdentity
{
    /// <summary>Changes whenever the lists or the formulas below change, so the loader rewrites the roster.</summary>
    internal const string Version = "fake-identity-v1";

    /// <summary>
    /// Every generated mobile number starts with this prefix, followed by the six-digit officer number: officer 123 has
    /// 9999000123. A block of ten-digit numbers this regular is easy to recognise and filter (for example, never send
    /// SMS to it); it is generated, not a list of real numbers.
    /// </summary>
    internal const string MobilePrefix = "9999";

    internal const int MaxNumber = 999_999;

    private static readonly string[] HinduFirstNames =
    [
        "Aarti", "Abhishek", "Akhilesh", "Alok", "Amit", "Anand", "Anita", "Anjali", "Anuj", "Archana",
        "Arvind", "Ashok", "Deepak", "Dinesh", "Garima", "Gaurav", "Hemant", "Jyoti", "Kavita", "Manish",
        "Meena", "Mukesh", "Neha", "Nidhi", "Pankaj", "Pooja", "Pradeep", "Pramod", "Priya", "Rajesh",
        "Rakesh", "Ramesh", "Rashmi", "Ravi", "Rekha", "Ritu", "Sandeep", "Sanjay", "Santosh", "Shalini",
        "Shashi", "Shweta", "Suman", "Sunil", "Sunita", "Suresh", "Vandana", "Vijay", "Vinod", "Vivek",
    ];

    private static readonly string[] HinduLastNames =
    [
        "Agarwal", "Awasthi", "Bajpai", "Chaurasia", "Chauhan", "Dubey", "Dwivedi", "Gautam", "Gupta", "Jaiswal",
        "Kannaujia", "Katiyar", "Kushwaha", "Maurya", "Mishra", "Nishad", "Pal", "Pandey", "Prajapati", "Rajput",
        "Rastogi", "Rawat", "Saxena", "Sharma", "Shukla", "Singh", "Srivastava", "Tiwari", "Tripathi", "Verma",
        "Yadav",
    ];

    private static readonly string[] MuslimFirstNames =
    [
        "Aamir", "Afsana", "Arshad", "Asif", "Farhan", "Fatima", "Imran", "Irfan", "Javed", "Nasreen",
        "Nazia", "Rehana", "Sajid", "Salman", "Shabana", "Shahid", "Tabassum", "Tariq", "Zeba", "Zubair",
    ];

    private static readonly string[] MuslimLastNames =
    [
        "Abbasi", "Ahmad", "Ansari", "Farooqui", "Hasan", "Husain", "Khan", "Qureshi", "Rizvi", "Siddiqui", "Usmani", "Zaidi",
    ];

    /// <summary><c>OFF-</c> and the number in at least six digits.</summary>
    internal static string OfficerId(int number) => "OFF-" + number.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>The number in an id made by <see cref="OfficerId"/>, or null for any other id.</summary>
    internal static int? NumberOf(string officerId) =>
        officerId.StartsWith("OFF-", StringComparison.Ordinal)
        && int.TryParse(officerId.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : null;

    /// <summary>A first and last name picked by a fixed hash of the number; about one in six from the Muslim lists.</summary>
    internal static string Name(int number)
    {
        var h = Mix((ulong)number);
        var muslim = h % 6 == 0;
        h /= 6;
        var first = muslim ? MuslimFirstNames : HinduFirstNames;
        var last = muslim ? MuslimLastNames : HinduLastNames;
        var firstName = first[(int)(h % (ulong)first.Length)];
        h /= (ulong)first.Length;
        return firstName + " " + last[(int)(h % (ulong)last.Length)];
    }

    /// <summary><see cref="MobilePrefix"/> followed by the six-digit number: ten digits starting with 9.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The number needs more than six digits.</exception>
    internal static string Mobile(int number)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(number);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(number, MaxNumber);
        return MobilePrefix + number.ToString("D6", CultureInfo.InvariantCulture);
    }

    /// <summary>SplitMix64's finaliser: a fixed, well-spread function of the input (not random, not seeded).</summary>
    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
