using System.Text.Json.Nodes;
using Helpline.Catalogue;
using Helpline.Tests.Infrastructure;
using Npgsql;
using static Helpline.Tests.Catalogue.CategoryAdministrationTests;

namespace Helpline.Tests.Catalogue;

/// <summary>
/// The agent desk's search through GraphQL, with the real host: categories are found by Hindi text, and an
/// administrator's Hindi name survives a restart (which loads the shipped files again).
/// </summary>
public sealed class CategoryHindiSearchTests : HostedTest
{
    private const string Query = "query($s: String) { categories(search: $s) { id name nameHindi } }";

    private async Task<JsonArray> Search(string text) =>
        (await Host.GraphQLAsync(Query, new { s = text })).Get("categories").AsArray();

    private static List<string> Ids(JsonArray categories) =>
        [.. categories.Select(c => c!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task A_category_is_found_by_a_word_or_part_of_its_hindi_name()
    {
        var varasat = Assert.Single(await Search("वरासत"))!;
        Assert.Equal("rev-varasat-entry", varasat["id"]!.GetValue<string>());
        Assert.Equal("खतौनी में वरासत दर्ज नहीं हुई", varasat["nameHindi"]!.GetValue<string>());

        Assert.Equal(["rev-khatauni-correction", "rev-varasat-entry"], Ids(await Search("खतौनी")));
        Assert.Equal(["sw-old-age-pension-sanction", "sw-old-age-pension-stopped"], Ids(await Search("वृद्धावस्था पेंशन")));
        Assert.Equal(["rev-land-demarcation"], Ids(await Search("पैमाइश")));
        Assert.Equal(["cn-weighing", "fcs-ration-denied"], Ids(await Search("घटतौली")));
        // English still finds by the English name; a Hindi search of every department's rows lists each once.
        Assert.Equal(["rev-varasat-entry"], Ids(await Search("VARASAT")));
        var all = Ids(await Search("शिकायत"));
        Assert.Equal(all.Distinct(StringComparer.Ordinal).Count(), all.Count);
        Assert.Contains("rev-other", all);
    }

    [Fact]
    public async Task An_administrators_hindi_name_survives_a_restart_and_the_others_keep_the_shipped_names()
    {
        var renamed = await Change(Host, "rename", new { categoryId = "rev-mutation-delay", name = "Mutation delayed", nameHindi = "दाखिल खारिज में देरी", reason = "Plain words" });
        Assert.Equal(
            CatalogueFiles.ReadEmbedded().Categories.Single(c => c.Id == "rev-mutation-delay").NameHindi,
            renamed.Get("renameCategory.before.nameHindi").GetValue<string>());
        // As if the database had been loaded before the shipped files had Hindi names: the restart's load writes them.
        await using (var dataSource = NpgsqlDataSource.Create(Db.ConnectionString))
        await using (var command = dataSource.CreateCommand("update catalogue.categories set name_hindi = null where origin = 'shipped'"))
        {
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await Host.StopAsync();
        await Host.StartAsync();

        Assert.Equal(["rev-mutation-delay"], Ids(await Search("दाखिल खारिज में देरी")));
        Assert.Empty(await Search("नामांतरण")); // the shipped Hindi name of rev-mutation-delay is not in force
        Assert.Equal(["rev-varasat-entry"], Ids(await Search("वरासत")));
        var categories = (await Host.GraphQLAsync("{ categories { id nameHindi } }")).Get("categories").AsArray();
        Assert.All(categories, c => Assert.False(string.IsNullOrWhiteSpace(c!["nameHindi"]?.GetValue<string>()), c!["id"]!.GetValue<string>()));
    }
}
