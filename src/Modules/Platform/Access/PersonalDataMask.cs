using System.Globalization;
using System.Text;

namespace Helpline.Platform.Access;

/// <summary>How names and mobile numbers look to those who do not need them.</summary>
public static class PersonalDataMask
{
    /// <summary>First two and last two digits: <c>9415012345</c> becomes <c>94XXXXXX45</c>.</summary>
    public static string Mobile(string mobile)
    {
        ArgumentNullException.ThrowIfNull(mobile);
        return mobile.Length <= 4 ? new string('X', mobile.Length) : mobile[..2] + new string('X', mobile.Length - 4) + mobile[^2..];
    }

    /// <summary>
    /// The first letter of each word and three stars: <c>Sita Devi</c> becomes <c>S*** D***</c>. A letter is a whole
    /// grapheme, so a Devanagari consonant keeps its vowel sign.
    /// </summary>
    public static string Name(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var masked = new StringBuilder(name.Length);
        foreach (var word in name.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (masked.Length > 0)
            {
                masked.Append(' ');
            }

            masked.Append(StringInfo.GetNextTextElement(word, 0)).Append("***");
        }

        return masked.ToString();
    }

    /// <summary>The last four digits of a mobile, as the public gives them to see a grievance's status.</summary>
    public static string LastFour(string mobile)
    {
        ArgumentNullException.ThrowIfNull(mobile);
        return mobile.Length < 4 ? mobile : mobile[^4..];
    }
}
