using System.Globalization;

namespace Helpline.Grievances.Domain;

/// <summary>
/// Grievance reference numbers: 12 digits, <c>YY</c> (registration year, IST) + 9-digit serial + a Verhoeff check
/// digit, which catches every single-digit slip and every swap of adjacent digits when read over the phone.
/// Written in groups of four (<c>2600 0000 1237</c>); spaces and hyphens are ignored on input.
/// </summary>
internal static class ReferenceNumber
{
    private static readonly TimeSpan Ist = TimeSpan.FromHours(5.5);

    // Verhoeff's dihedral-group multiplication, permutation and inverse tables (J. Verhoeff, 1969).
    private static readonly byte[,] D =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 2, 3, 4, 0, 6, 7, 8, 9, 5 }, { 2, 3, 4, 0, 1, 7, 8, 9, 5, 6 },
        { 3, 4, 0, 1, 2, 8, 9, 5, 6, 7 }, { 4, 0, 1, 2, 3, 9, 5, 6, 7, 8 }, { 5, 9, 8, 7, 6, 0, 4, 3, 2, 1 },
        { 6, 5, 9, 8, 7, 1, 0, 4, 3, 2 }, { 7, 6, 5, 9, 8, 2, 1, 0, 4, 3 }, { 8, 7, 6, 5, 9, 3, 2, 1, 0, 4 },
        { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 },
    };

    private static readonly byte[,] P =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 5, 7, 6, 2, 8, 3, 0, 9, 4 }, { 5, 8, 0, 3, 7, 9, 6, 1, 4, 2 },
        { 8, 9, 1, 6, 0, 4, 3, 5, 2, 7 }, { 9, 4, 5, 3, 1, 2, 6, 8, 7, 0 }, { 4, 2, 8, 6, 5, 7, 3, 9, 0, 1 },
        { 2, 7, 9, 3, 8, 0, 6, 4, 1, 5 }, { 7, 0, 4, 6, 9, 1, 3, 2, 5, 8 },
    };

    private static readonly byte[] Inv = { 0, 4, 3, 2, 1, 5, 6, 7, 8, 9 };

    /// <summary>Maximum serial: nine digits.</summary>
    public const long MaxSerial = 999_999_999;

    /// <summary>Builds the reference number for a serial registered at <paramref name="registeredAt"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The serial is not in 1..999,999,999.</exception>
    public static string Create(long serial, DateTimeOffset registeredAt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(serial, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(serial, MaxSerial);
        var yy = registeredAt.ToOffset(Ist).Year % 100;
        var body = yy.ToString("D2", CultureInfo.InvariantCulture) + serial.ToString("D9", CultureInfo.InvariantCulture);
        return body + CheckDigit(body);
    }

    /// <summary>The Verhoeff check digit for a string of digits.</summary>
    public static char CheckDigit(string digits)
    {
        var c = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            c = D[c, P[(i + 1) % 8, digits[digits.Length - 1 - i] - '0']];
        }

        return (char)('0' + Inv[c]);
    }

    /// <summary>True when the digits, check digit last, pass Verhoeff's check.</summary>
    public static bool IsValid(string digits)
    {
        var c = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            c = D[c, P[i % 8, digits[digits.Length - 1 - i] - '0']];
        }

        return c == 0;
    }

    /// <summary>Normalises user input (spaces, hyphens removed) and checks length, digits and check digit.</summary>
    /// <returns>The 12-digit form, or null when the input is not a valid reference number.</returns>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return null;
        }

        Span<char> buffer = stackalloc char[12];
        var n = 0;
        foreach (var ch in input)
        {
            if (ch is ' ' or '-')
            {
                continue;
            }

            if (ch is < '0' or > '9' || n == 12)
            {
                return null;
            }

            buffer[n++] = ch;
        }

        if (n != 12)
        {
            return null;
        }

        var s = new string(buffer);
        return IsValid(s) ? s : null;
    }

    /// <summary>Groups of four for reading aloud: <c>2600 0000 1237</c>.</summary>
    public static string Display(string referenceNumber) =>
        referenceNumber.Length == 12
            ? $"{referenceNumber[..4]} {referenceNumber[4..8]} {referenceNumber[8..]}"
            : referenceNumber;
}
