using Helpline.WebConsole.Places;

namespace Helpline.Tests.WebConsole;

/// <summary>The desk's place search: Hindi typed in Devanagari finds the English names of the LGD data.</summary>
public sealed class PlaceSearchTests
{
    [Theory]
    [InlineData("आगरा", "AGRA")]
    [InlineData("लखनऊ", "LUCKNOW")]
    [InlineData("वाराणसी", "VARANASI")]
    [InlineData("प्रयागराज", "PRAYAGRAJ")]
    [InlineData("गोरखपुर", "GORAKHPUR")]
    [InlineData("मेरठ", "MEERUT")]
    [InlineData("झाँसी", "JHANSI")]
    [InlineData("अलीगढ़", "ALIGARH")]
    [InlineData("मथुरा", "MATHURA")]
    [InlineData("बरेली", "BAREILLY")]
    [InlineData("ग़ाज़ियाबाद", "GHAZIABAD")]
    [InlineData("गाजियाबाद", "GHAZIABAD")]
    [InlineData("शाहजहाँपुर", "SHAHJAHANPUR")]
    [InlineData("बुलंदशहर", "BULANDSHAHR")]
    [InlineData("इटावा", "ETAWAH")]
    [InlineData("सिद्धार्थनगर", "SIDDHARTH NAGAR")]
    [InlineData("कुशीनगर", "KUSHI NAGAR")]
    [InlineData("मुज़फ़्फ़रनगर", "MUZAFFARNAGAR")]
    [InlineData("मुजफ्फरनगर", "MUZAFFARNAGAR")]
    [InlineData("चित्रकूट", "CHITRAKOOT")]
    [InlineData("रायबरेली", "RAE BARELI")]
    [InlineData("देवरिया", "DEORIA")]
    [InlineData("उन्नाव", "UNNAO")]
    [InlineData("श्रावस्ती", "SHRAVASTI")]
    [InlineData("संत कबीर नगर", "SANT KABEER NAGAR")]
    [InlineData("अयोध्या", "AYODHYA")]
    [InlineData("संभल", "SAMBHAL")]
    [InlineData("फ़र्रुख़ाबाद", "FARRUKHABAD")]
    public void A_district_written_in_Devanagari_has_the_skeleton_of_its_English_name(string hindi, string english) =>
        Assert.Equal(Skeleton.Of(english), Skeleton.Of(hindi));

    [Fact]
    public void Different_districts_keep_different_skeletons()
    {
        Assert.NotEqual(Skeleton.Of("AGRA"), Skeleton.Of("LUCKNOW"));
        Assert.NotEqual(Skeleton.Of("MEERUT"), Skeleton.Of("MATHURA"));
        Assert.NotEqual(Skeleton.Of("KANPUR NAGAR"), Skeleton.Of("KANNAUJ"));
    }

    private static readonly PlaceIndex Index = new(
    [
        new("district:118", "DISTRICT", "Agra", [new("DIVISION", "Agra")]),
        new("tehsil:766", "TEHSIL", "Agra", [new("DISTRICT", "Agra"), new("DIVISION", "Agra")]),
        new("district:148", "DISTRICT", "Gorakhpur", [new("DIVISION", "Gorakhpur")]),
        new("district:162", "DISTRICT", "Lucknow", [new("DIVISION", "Lucknow")]),
        new("tehsil:820", "TEHSIL", "Bakshi Ka Talab", [new("DISTRICT", "Lucknow"), new("DIVISION", "Lucknow")]),
        new("block:1329", "BLOCK", "Bakshi-Ka-Talab", [new("DISTRICT", "Lucknow"), new("DIVISION", "Lucknow")]),
        new("block:1330", "BLOCK", "Chinhat", [new("DISTRICT", "Lucknow"), new("DIVISION", "Lucknow")]),
        new("district:187", "DISTRICT", "Varanasi", [new("DIVISION", "Varanasi")]),
    ]);

    [Fact]
    public void Hindi_finds_the_district_first_and_then_the_places_of_that_name()
    {
        Assert.Equal(["district:118", "tehsil:766"], Index.Search("आगरा").Take(2).Select(p => p.Id));
        Assert.Equal("district:162", Index.Search("लखनऊ")[0].Id);
        Assert.Equal("district:187", Index.Search("वाराणसी")[0].Id);
        Assert.Equal("block:1330", Index.Search("चिनहट")[0].Id);
    }

    [Fact]
    public void English_finds_by_prefix_word_and_part_ignoring_case_and_hyphens()
    {
        Assert.Equal(["tehsil:820", "block:1329"], Index.Search("bakshi ka").Select(p => p.Id));
        Assert.Equal("district:162", Index.Search("LUCK")[0].Id);
        Assert.Equal("tehsil:820", Index.Search("talab")[0].Id);
        Assert.Equal("district:148", Index.Search("khpur")[0].Id);
        Assert.Empty(Index.Search("   "));
    }

    [Fact]
    public void A_romanisation_other_than_the_datas_still_finds_the_place()
    {
        Assert.Equal("district:162", Index.Search("Lakhnau")[0].Id);
        Assert.Equal("district:187", Index.Search("Vaaraanasee")[0].Id);
    }

    [Fact]
    public void A_place_is_told_apart_by_its_kind_and_parents()
    {
        var found = Index.Search("बख्शी का तालाब");
        Assert.Equal(["tehsil:820", "block:1329"], found.Select(p => p.Id));
        Assert.All(found, p => Assert.Equal("Lucknow", p.Parents[0].Name));
    }
}
