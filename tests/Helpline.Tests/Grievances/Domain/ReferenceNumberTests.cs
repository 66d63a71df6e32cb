using Helpline.Grievances.Domain;

namespace Helpline.Tests.Grievances.Domain;

/// <summary>
/// Reference numbers: YY (IST) + 9-digit serial + Verhoeff check digit. The expected check digits below were
/// worked by hand with Verhoeff's published tables (d, inv, and p(i, j) = p(i - 1, p(1, j)) from
/// p(1) = 1 5 7 6 2 8 3 0 9 4), not taken from the code under test.
/// </summary>
public sealed class ReferenceNumberTests
{
    [Theory]
    [InlineData("236", '3')] // the worked example in Verhoeff's algorithm descriptions
    [InlineData("12345", '1')]
    [InlineData("142857", '0')]
    [InlineData("75872", '2')]
    [InlineData("26000000001", '4')] // README's 2600 0000 0014
    [InlineData("26987654321", '3')]
    [InlineData("26123456789", '5')]
    [InlineData("26000007867", '2')]
    [InlineData("26000086420", '9')]
    public void Check_digits_match_the_published_Verhoeff_algorithm(string body, char expected)
    {
        Assert.Equal(expected, ReferenceNumber.CheckDigit(body));
        Assert.True(ReferenceNumber.IsValid(body + expected));
        foreach (var other in "0123456789".Where(c => c != expected))
        {
            Assert.False(ReferenceNumber.IsValid(body + other), $"{body}{other} must not validate");
        }
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(14L)]
    [InlineData(1076L)]
    [InlineData(45678L)]
    [InlineData(987654321L)]
    [InlineData(999999999L)]
    [InlineData(123456789L)]
    public void Every_single_digit_slip_and_every_adjacent_swap_of_a_reference_number_is_detected(long serial)
    {
        var number = ReferenceNumber.Create(serial, new DateTimeOffset(2026, 6, 1, 6, 0, 0, TimeSpan.Zero));
        Assert.True(ReferenceNumber.IsValid(number));

        for (var i = 0; i < number.Length; i++)
        {
            foreach (var digit in "0123456789".Where(c => c != number[i]))
            {
                var slipped = number[..i] + digit + number[(i + 1)..];
                Assert.False(ReferenceNumber.IsValid(slipped), $"substitution {number} -> {slipped} went undetected");
                Assert.Null(ReferenceNumber.Normalize(slipped));
            }
        }

        for (var i = 0; i + 1 < number.Length; i++)
        {
            if (number[i] == number[i + 1])
            {
                continue;
            }

            var swapped = number[..i] + number[i + 1] + number[i] + number[(i + 2)..];
            Assert.False(ReferenceNumber.IsValid(swapped), $"transposition {number} -> {swapped} went undetected");
        }
    }

    /// <summary>
    /// Detection of a swap depends only on the two digits and their position, so trying every ordered pair of
    /// distinct digits at every adjacent position of a 12-digit number covers every possible adjacent transposition.
    /// </summary>
    [Fact]
    public void Every_adjacent_transposition_at_every_position_is_detected()
    {
        var undetected = new List<string>();
        for (var position = 0; position < 11; position++)
        {
            for (var filler = 0; filler < 10; filler++)
            {
                for (var a = 0; a < 10; a++)
                {
                    for (var b = 0; b < 10; b++)
                    {
                        var body = new string((char)('0' + filler), 11).ToCharArray();
                        body[position] = (char)('0' + a);
                        if (position + 1 < 11)
                        {
                            body[position + 1] = (char)('0' + b);
                        }

                        var number = new string(body) + ReferenceNumber.CheckDigit(new string(body));
                        if (number[position] == number[position + 1])
                        {
                            continue;
                        }

                        var swapped = number[..position] + number[position + 1] + number[position] + number[(position + 2)..];
                        if (ReferenceNumber.IsValid(swapped))
                        {
                            undetected.Add($"{number}->{swapped}");
                        }
                    }
                }
            }
        }

        Assert.Empty(undetected);
    }

    [Theory]
    [InlineData("260000000014")]
    [InlineData("2600 0000 0014")]
    [InlineData("2600-0000-0014")]
    [InlineData("  2600 - 0000 - 0014  ")]
    [InlineData("26-00-00-00-00-14")]
    public void Normalize_accepts_spaces_and_hyphens(string input) =>
        Assert.Equal("260000000014", ReferenceNumber.Normalize(input));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" - - ")]
    [InlineData("26000000001")] // 11 digits
    [InlineData("2600000000140")] // 13 digits
    [InlineData("02600000000014")] // 14 digits
    [InlineData("260000000015")] // bad check digit
    [InlineData("260000000041")] // last two digits swapped
    [InlineData("2600 0000 001A")]
    [InlineData("2600O0000014")] // letter O for zero
    [InlineData("2600.0000.0014")]
    [InlineData("2600\t0000\t0014")]
    [InlineData("+260000000014")]
    [InlineData("२६००००००००१४")] // Devanagari digits
    [InlineData("２６００００００００１４")] // full-width digits
    public void Normalize_rejects_anything_else(string? input) => Assert.Null(ReferenceNumber.Normalize(input));

    [Fact]
    public void Create_writes_year_serial_and_check_digit()
    {
        var at = new DateTimeOffset(2026, 11, 2, 4, 30, 0, TimeSpan.Zero);
        Assert.Equal("260000000014", ReferenceNumber.Create(1, at));
        Assert.Equal("269876543213", ReferenceNumber.Create(987_654_321, at));
        Assert.Equal(12, ReferenceNumber.Create(ReferenceNumber.MaxSerial, at).Length);
        Assert.StartsWith("26999999999", ReferenceNumber.Create(ReferenceNumber.MaxSerial, at), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(1_000_000_000L)]
    public void Create_refuses_serials_outside_nine_digits(long serial) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ReferenceNumber.Create(serial, DateTimeOffset.UnixEpoch));

    [Theory]
    [InlineData("2026-12-31T19:00:00Z", "27")] // 00:30 on 1 January 2027 in India
    [InlineData("2026-12-31T18:30:00Z", "27")] // midnight IST exactly
    [InlineData("2026-12-31T18:29:59Z", "26")] // still 2026 in India
    [InlineData("2026-12-31T23:59:59Z", "27")]
    [InlineData("2026-01-01T00:00:00Z", "26")]
    [InlineData("2025-12-31T18:30:00Z", "26")]
    [InlineData("2026-12-31T20:00:00-05:00", "27")] // the offset of the value does not matter, only the instant
    [InlineData("2027-01-01T00:00:00+05:30", "27")]
    [InlineData("2099-12-31T18:30:00Z", "00")]
    public void The_year_prefix_is_the_registration_year_in_India(string instant, string yy)
    {
        var at = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);
        var number = ReferenceNumber.Create(1, at);
        Assert.Equal(yy, number[..2]);
        Assert.Equal("000000001", number[2..11]);
        Assert.True(ReferenceNumber.IsValid(number));
    }

    [Theory]
    [InlineData("260000000014", "2600 0000 0014")]
    [InlineData("12345", "12345")]
    public void Display_groups_in_fours_for_reading_aloud(string number, string display)
    {
        Assert.Equal(display, ReferenceNumber.Display(number));
        if (number.Length == 12)
        {
            Assert.Equal(number, ReferenceNumber.Normalize(display));
        }
    }
}
