using Helpline.Catalogue;

namespace Helpline.Tests.Catalogue;

/// <summary>The categories' Hindi names file: every shipped category has one, and a broken file is refused naming file and row.</summary>
public sealed class CategoryHindiFileTests
{
    private const string Departments = """
        id,name,name_hindi,seat_state,seat_division,seat_district,seat_tehsil,seat_block,seat_urban_local_body
        works,Public Works Department,लोक निर्माण विभाग,Engineer-in-Chief,Superintending Engineer,Executive Engineer,,,
        """;

    private const string Categories = """
        id,name,department_id,resolution_level,sla_l1_days,sla_l2_days,sla_l3_days,sla_l4_days,source
        w-road,Damaged road,works,District,7,7,7,7,DIGIT DamagedRoad
        w-bridge,Damaged bridge or culvert,works,District,7,7,7,7,CPGRAMS 647
        """;

    [Fact]
    public void Every_shipped_category_has_one_hindi_name_in_devanagari_within_200_characters()
    {
        var data = CatalogueFiles.ReadEmbedded();

        var hindiRows = CatalogueFiles.ReadEmbeddedText(CatalogueFiles.CategoriesHindiFile).Split('\n').Count(line => !string.IsNullOrWhiteSpace(line)) - 1;
        Assert.Equal(data.Categories.Count, hindiRows);
        Assert.True(data.Categories.Count >= 229, $"{data.Categories.Count} categories");
        foreach (var category in data.Categories)
        {
            var hindi = category.NameHindi;
            Assert.False(string.IsNullOrWhiteSpace(hindi), category.Id);
            Assert.True(hindi.Length <= CatalogueFiles.MaxHindiNameLength, category.Id);
            Assert.Contains(hindi, c => c is >= '\u0900' and <= '\u097F');
            Assert.DoesNotContain(hindi, c => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z');
        }

        Assert.Equal("खतौनी में वरासत दर्ज नहीं हुई", data.Categories.Single(c => c.Id == "rev-varasat-entry").NameHindi);
        Assert.Equal("वृद्धावस्था पेंशन स्वीकृत नहीं हुई", data.Categories.Single(c => c.Id == "sw-old-age-pension-sanction").NameHindi);
    }

    [Fact]
    public void Names_with_commas_are_read_whole_and_trimmed()
    {
        var data = Parse("id,name_hindi\nw-road, सड़क क्षतिग्रस्त \nw-bridge,\"पुल, पुलिया क्षतिग्रस्त\"");

        Assert.Equal(["सड़क क्षतिग्रस्त", "पुल, पुलिया क्षतिग्रस्त"], data.Categories.Select(c => c.NameHindi));
    }

    [Fact]
    public void Without_a_hindi_file_no_category_has_a_hindi_name()
    {
        var data = CatalogueFiles.Parse(new StringReader(Departments), new StringReader(Categories));

        Assert.All(data.Categories, c => Assert.Null(c.NameHindi));
    }

    [Theory]
    [InlineData("w-road,सड़क\nw-bridge,पुल\nw-tunnel,सुरंग", "categories-hi.csv, row 4: category 'w-tunnel' does not exist in categories.csv")]
    [InlineData("w-road,सड़क\nw-bridge,", "categories-hi.csv, row 3: category 'w-bridge' has an empty Hindi name")]
    [InlineData("w-road,सड़क\nw-bridge,  ", "categories-hi.csv, row 3: category 'w-bridge' has an empty Hindi name")]
    [InlineData("w-road,सड़क\nw-road,सड़क टूटी\nw-bridge,पुल", "categories-hi.csv, row 3: duplicate id 'w-road' (already used at row 2)")]
    [InlineData("w-road,सड़क\nw-bridge,Damaged bridge", "categories-hi.csv, row 3: category 'w-bridge': the Hindi name 'Damaged bridge' has no Devanagari letter")]
    [InlineData("w-road,सड़क\nw-bridge", "categories-hi.csv, row 3: expected 2 fields as in the header but found 1")]
    [InlineData("w-road,सड़क", "categories-hi.csv: no row for category 'w-bridge' (categories.csv, row 3); every category needs a Hindi name")]
    public void A_broken_row_is_refused_naming_the_file_and_the_row(string rows, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => Parse("id,name_hindi\n" + rows));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_longer_than_200_characters_or_a_wrong_header_is_refused()
    {
        var tooLong = Assert.Throws<InvalidDataException>(() => Parse($"id,name_hindi\nw-road,{new string('क', 201)}\nw-bridge,पुल"));
        var header = Assert.Throws<InvalidDataException>(() => Parse("id,hindi\nw-road,सड़क\nw-bridge,पुल"));
        var empty = Assert.Throws<InvalidDataException>(() => Parse("id,name_hindi\n"));

        Assert.Contains("categories-hi.csv, row 2: category 'w-road': the Hindi name has 201 characters; at most 200", tooLong.Message, StringComparison.Ordinal);
        Assert.Contains("categories-hi.csv, row 1: unknown column 'hindi'", header.Message, StringComparison.Ordinal);
        Assert.Contains("categories-hi.csv, row 1: the file has a header but no data rows", empty.Message, StringComparison.Ordinal);
    }

    private static CatalogueData Parse(string hindi) =>
        CatalogueFiles.Parse(new StringReader(Departments), new StringReader(Categories), new StringReader(hindi));
}
