using System.Text;

namespace Helpline.WebConsole.Places;

/// <summary>
/// The consonant skeleton of a place name, the same for its Devanagari and its Latin spelling: "आगरा" and "AGRA" are
/// both <c>gr</c>, "लखनऊ" and "LUCKNOW" both <c>lkn</c>. The jurisdiction data has English names only, and
/// romanisations disagree about vowels (Kabeer, Kabir), aspiration (Ghazipur), nukta letters (Mirzapur, मिर्जापुर) and
/// the weak letters y, v and h (Deoria, देवरिया), so the skeleton keeps what both scripts agree on and drops the rest.
/// </summary>
public static class Skeleton
{
    private const char Nukta = '\u093C';

    /// <summary>True when <paramref name="text"/> holds any Devanagari letter.</summary>
    public static bool IsDevanagari(string text) => text.Any(c => c is >= '\u0900' and <= '\u097F');

    /// <summary>The skeleton of <paramref name="text"/> (Devanagari or Latin), one entry per word.</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        var words = new List<string>();
        foreach (var word in text.Split([' ', '-', '(', ')', ',', '.', '/', '\''], StringSplitOptions.RemoveEmptyEntries))
        {
            var letters = IsDevanagari(word) ? FromDevanagari(word) : FromLatin(word.ToLowerInvariant());
            var skeleton = Collapse(letters);
            if (skeleton.Length > 0)
            {
                words.Add(skeleton);
            }
        }

        return words;
    }

    /// <summary>The skeleton of the whole of <paramref name="text"/>, its words joined.</summary>
    public static string Of(string text) => string.Concat(Words(text));

    // Consonants as (letter, is weak: y, v, h); vowels, vowel signs and the virama are left out.
    private static List<(char Letter, bool Weak)> FromDevanagari(string word)
    {
        var letters = new List<(char, bool)>();
        for (var i = 0; i < word.Length; i++)
        {
            var c = word[i];
            var next = i + 1 < word.Length ? word[i + 1] : '\0';
            var letter = next == Nukta ? WithNukta(c) ?? Consonant(c) : Consonant(c);
            if (letter is { } l)
            {
                letters.Add((l, c is '\u092F' or '\u0935' or 'ह'));
            }
        }

        return letters;
    }

    // A consonant written with the nukta below it (the decomposed form of the letters 0958..095F).
    private static char? WithNukta(char c) => c switch
    {
        '\u0921' or '\u0922' => 'r', // ड़ ढ़
        '\u091C' => 'j', // ज़
        '\u092B' => 'f', // फ़
        '\u0915' or '\u0916' => 'k', // क़ ख़
        '\u0917' => 'g', // ग़
        _ => null,
    };

    private static char? Consonant(char c) => c switch
    {
        'क' or 'ख' or '\u0958' or '\u0959' => 'k',
        'ग' or 'घ' or '\u095A' => 'g',
        'च' or 'छ' => 'c',
        'ज' or 'झ' or '\u095B' => 'j',
        'ट' or 'ठ' or 'त' or 'थ' => 't',
        'ड' or 'ढ' or 'द' or 'ध' => 'd',
        '\u095C' or '\u095D' or 'र' or 'ऋ' or '\u0943' => 'r',
        'ण' or 'न' or 'ञ' or 'ङ' => 'n',

        '\u0902' or '\u0901' => 'n', // anusvara, candrabindu
        'म' => 'm',
        'प' => 'p',
        'फ' or '\u095E' => 'f',
        'ब' or 'भ' => 'b',
        '\u092F' or '\u095F' => 'y',
        'ल' => 'l',
        '\u0935' => 'v',
        'श' or 'ष' or 'स' => 's',
        'ह' => 'h',
        _ => null,
    };

    private static List<(char Letter, bool Weak)> FromLatin(string word)
    {
        var letters = new List<(char, bool)>();
        for (var i = 0; i < word.Length; i++)
        {
            var c = word[i];
            var next = i + 1 < word.Length ? word[i + 1] : '\0';
            switch (c)
            {
                case 'a' or 'e' or 'i' or 'o' or 'u':
                    continue;
                case 'h' when letters.Count > 0 && i > 0 && !IsVowel(word[i - 1]):
                    // Aspiration (kh, gh, bh, dh, th, ph) and the digraphs sh and ch: the letter before it carries it.
                    continue;
                case 'c' when next == 'h':
                    letters.Add(('c', false));
                    i++;
                    continue;
                case 'p' when next == 'h':
                    letters.Add(('f', false));
                    i++;
                    continue;
                case 'c' or 'q':
                    letters.Add(('k', false));
                    continue;
                case 'x':
                    letters.Add(('k', false));
                    letters.Add(('s', false));
                    continue;
                case 'z':
                    letters.Add(('j', false));
                    continue;
                case 'w':
                    letters.Add(('v', true));
                    continue;
                case 'y' or 'v':
                    letters.Add((c, true));
                    continue;
                case 'h':
                    letters.Add(('h', true));
                    continue;
                case >= 'a' and <= 'z':
                    letters.Add((c, false));
                    continue;
            }
        }

        return letters;
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';

    // The weak letters y, v and h count only at the start of a word (Yamuna, Varanasi, Hardoi): inside one,
    // romanisations write y and v as vowels (Deoria for देवरिया, Ghaziabad for ग़ाज़ियाबाद) and drop or add an h where
    // the other script has none (Chinhat for चिनहट, Etawah for इटावा). A doubled letter is one (Lalitpur).
    private static string Collapse(List<(char Letter, bool Weak)> letters)
    {
        var text = new StringBuilder(letters.Count);
        for (var i = 0; i < letters.Count; i++)
        {
            var (letter, weak) = letters[i];
            if (weak && i > 0)
            {
                continue;
            }

            // A nasal before a lip consonant is written m or n in either script (संभल Sambhal, शाहजहाँपुर Shahjahanpur).
            if (letter == 'm' && i + 1 < letters.Count && letters[i + 1].Letter is 'p' or 'b' or 'f')
            {
                letter = 'n';
            }

            if (text.Length > 0 && text[^1] == letter)
            {
                continue;
            }

            text.Append(letter);
        }

        return text.ToString();
    }
}
