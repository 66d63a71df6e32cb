using System.Text.Json;
using System.Text.RegularExpressions;
using Helpline.Catalogue;
using Helpline.Jurisdictions;

namespace Helpline.Tests.Catalogue;

/// <summary>The shipped catalogue files: size, the rules every row must keep, provenance, and errors for bad rows.</summary>
public sealed partial class CatalogueFilesTests
{
    private static readonly JurisdictionKind[] ChainKinds = [JurisdictionKind.District, JurisdictionKind.Division, JurisdictionKind.State];

    [Fact]
    public void Shipped_files_hold_at_least_20_departments_and_100_categories()
    {
        var data = CatalogueFiles.ReadEmbedded();

        // Counted from the raw files, not from the parser: every non-blank line after the header is one row.
        var departmentRows = DataLines(CatalogueFiles.DepartmentsFile);
        var categoryRows = DataLines(CatalogueFiles.CategoriesFile);
        Assert.Equal(departmentRows, data.Departments.Count);
        Assert.Equal(categoryRows, data.Categories.Count);
        Assert.True(departmentRows >= 20, $"{departmentRows} departments");
        Assert.True(categoryRows >= 100, $"{categoryRows} categories");
    }

    [Fact]
    public void Every_department_has_a_kebab_id_a_name_and_seats_at_district_division_and_state()
    {
        var data = CatalogueFiles.ReadEmbedded();

        Assert.Equal(data.Departments.Count, data.Departments.Select(d => d.Id).Distinct(StringComparer.Ordinal).Count());
        foreach (var department in data.Departments)
        {
            Assert.Matches(KebabCode(), department.Id);
            Assert.False(string.IsNullOrWhiteSpace(department.Name), department.Id);
            Assert.False(string.IsNullOrWhiteSpace(department.NameHindi), department.Id);
            foreach (var kind in ChainKinds)
            {
                Assert.True(department.SeatTitles.ContainsKey(kind), $"{department.Id} has no {kind} seat");
            }

            Assert.All(department.SeatTitles.Values, title => Assert.False(string.IsNullOrWhiteSpace(title), department.Id));
            Assert.DoesNotContain(JurisdictionKind.Village, department.SeatTitles.Keys);
        }
    }

    [Fact]
    public void Every_category_resolves_at_a_seat_of_an_existing_department_with_four_positive_sla_levels_and_a_source()
    {
        var data = CatalogueFiles.ReadEmbedded();
        var departments = data.Departments.ToDictionary(d => d.Id, StringComparer.Ordinal);

        Assert.Equal(data.Categories.Count, data.Categories.Select(c => c.Id).Distinct(StringComparer.Ordinal).Count());
        foreach (var category in data.Categories)
        {
            Assert.Matches(KebabCode(), category.Id);
            Assert.False(string.IsNullOrWhiteSpace(category.Name), category.Id);
            Assert.True(departments.TryGetValue(category.DepartmentId, out var department), $"{category.Id}: unknown department {category.DepartmentId}");
            Assert.True(department!.SeatTitles.ContainsKey(category.ResolutionLevel), $"{category.Id}: {category.DepartmentId} has no {category.ResolutionLevel} seat");
            Assert.Equal(4, category.Sla.LevelDays.Count);
            Assert.All(category.Sla.LevelDays, days => Assert.InRange(days, 1, CatalogueFiles.MaxLevelDays));
            Assert.Matches(SourceEntry(), category.Source);
        }
    }

    [Fact]
    public void Every_department_has_categories_and_an_other_category()
    {
        var data = CatalogueFiles.ReadEmbedded();

        foreach (var department in data.Departments)
        {
            var own = data.Categories.Where(c => c.DepartmentId == department.Id).ToList();
            Assert.True(own.Count >= 2, $"{department.Id} has {own.Count} categories");
            Assert.Contains(own, c => c.Id.EndsWith("-other", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Urgent_faults_get_shorter_first_level_allowances_than_the_seven_day_norm()
    {
        var data = CatalogueFiles.ReadEmbedded();

        foreach (var id in new[] { "en-outage-rural", "en-transformer", "ud-no-water", "ud-sewer", "rws-no-water", "pol-fir-not-registered" })
        {
            var category = Assert.Single(data.Categories, c => c.Id == id);
            Assert.True(category.Sla.DaysAt(1) < 7, $"{id} gives L1 {category.Sla.DaysAt(1)} days");
        }

        Assert.True(data.Categories.Count(c => c.Sla.LevelDays.SequenceEqual([7, 7, 7, 7])) > data.Categories.Count / 2);
    }

    [Fact]
    public void Cited_cpgrams_codes_and_digit_service_codes_exist_in_the_shared_source_data()
    {
        var taxonomy = FindTaxonomyDirectory();
        Assert.SkipWhen(taxonomy is null, "the shared source data (../shared/data/taxonomy) is not on this machine");

        var cpgramsCodes = File.ReadLines(Path.Combine(taxonomy!, "cpgrams_complaint_category.csv"))
            .Skip(1)
            .Select(line => line.Split(',')[0])
            .ToHashSet(StringComparer.Ordinal);
        var serviceCodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in new[] { "digit_pgr_ServiceDefs_pb.json", "upyog_pg_RAINMAKER-PGR_ServiceDefs.json", "punjab_pb_RAINMAKER-PGR_ServiceDefs.json" })
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(taxonomy!, file)));
            foreach (var service in json.RootElement.GetProperty("ServiceDefs").EnumerateArray())
            {
                serviceCodes.Add(service.GetProperty("serviceCode").GetString()!);
            }
        }

        var cited = 0;
        foreach (var category in CatalogueFiles.ReadEmbedded().Categories)
        {
            foreach (Match match in CitedCode().Matches(category.Source))
            {
                cited++;
                var known = match.Groups["system"].Value == "CPGRAMS" ? cpgramsCodes : serviceCodes;
                Assert.True(known.Contains(match.Groups["code"].Value), $"{category.Id} cites unknown {match.Value}");
            }
        }

        Assert.True(cited >= CatalogueFiles.ReadEmbedded().Categories.Count);
    }

    [Fact]
    public void A_category_of_an_unknown_department_is_rejected_naming_file_and_row()
    {
        var error = ParseWithCategoryRow("x-pothole,Pothole,no-such-department,District,7,7,7,7,DIGIT DamagedRoad");

        Assert.Contains("categories.csv, row 3:", error.Message, StringComparison.Ordinal);
        Assert.Contains("department 'no-such-department' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_resolution_level_where_the_department_has_no_seat_is_rejected()
    {
        var error = ParseWithCategoryRow("x-pothole,Pothole,works,Block,7,7,7,7,DIGIT DamagedRoad");

        Assert.Contains("categories.csv, row 3:", error.Message, StringComparison.Ordinal);
        Assert.Contains("resolution level Block is not a seat of department 'works'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_resolution_level_is_rejected()
    {
        var error = ParseWithCategoryRow("x-pothole,Pothole,works,Mandal,7,7,7,7,DIGIT DamagedRoad");

        Assert.Contains("categories.csv, row 3:", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Mandal' is not a jurisdiction kind", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zero_or_non_numeric_sla_is_rejected()
    {
        var zero = ParseWithCategoryRow("x-pothole,Pothole,works,District,7,0,7,7,DIGIT DamagedRoad");
        var text = ParseWithCategoryRow("x-pothole,Pothole,works,District,7,7,seven,7,DIGIT DamagedRoad");
        var missing = ParseWithCategoryRow("x-pothole,Pothole,works,District,7,7,7,,DIGIT DamagedRoad");

        Assert.Contains("categories.csv, row 3: category 'x-pothole': sla_l2_days '0'", zero.Message, StringComparison.Ordinal);
        Assert.Contains("categories.csv, row 3: category 'x-pothole': sla_l3_days 'seven'", text.Message, StringComparison.Ordinal);
        Assert.Contains("categories.csv, row 3: category 'x-pothole': sla_l4_days ''", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_or_malformed_category_id_is_rejected()
    {
        var duplicate = ParseWithCategoryRow("w-road,Another road,works,District,7,7,7,7,DIGIT DamagedRoad");
        var malformed = ParseWithCategoryRow("X_Pothole,Pothole,works,District,7,7,7,7,DIGIT DamagedRoad");

        Assert.Contains("categories.csv, row 3: duplicate id 'w-road' (already used at row 2)", duplicate.Message, StringComparison.Ordinal);
        Assert.Contains("categories.csv, row 3: id 'X_Pothole' is not a lower-case kebab code", malformed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_fields_or_a_broken_quote_is_rejected()
    {
        var short_ = ParseWithCategoryRow("x-pothole,Pothole,works,District,7,7,7,7");
        var quote = ParseWithCategoryRow("x-pothole,\"Pothole, deep,works,District,7,7,7,7,DIGIT DamagedRoad");

        Assert.Contains("categories.csv, row 3: expected 9 fields as in the header but found 8", short_.Message, StringComparison.Ordinal);
        Assert.Contains("categories.csv, row 3: a quoted field is not closed", quote.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_department_without_a_division_seat_is_rejected_naming_its_row()
    {
        const string departments = """
            id,name,name_hindi,seat_state,seat_division,seat_district,seat_tehsil
            works,Public Works,,Engineer-in-Chief,Superintending Engineer,Executive Engineer,
            revenue,Revenue,,Board of Revenue,,District Magistrate,Tehsildar
            """;

        var error = Assert.Throws<InvalidDataException>(() => CatalogueFiles.Parse(new StringReader(departments), new StringReader(ValidCategories)));

        Assert.Contains("departments.csv, row 3: department 'revenue' has no Division seat", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_column_is_rejected_on_the_header_row()
    {
        const string departments = """
            id,name,name_hindi,seat_state,seat_division,seat_district,seat_mandal
            works,Public Works,,Engineer-in-Chief,Superintending Engineer,Executive Engineer,
            """;

        var error = Assert.Throws<InvalidDataException>(() => CatalogueFiles.Parse(new StringReader(departments), new StringReader(ValidCategories)));

        Assert.Contains("departments.csv, row 1: unknown column 'seat_mandal'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quoted_fields_keep_commas_and_escaped_quotes()
    {
        var categories = ValidCategories + "\nw-bridge,\"Bridge, culvert or \"\"pulia\"\" damaged\",works,District,2,2,3,3,\"CPGRAMS 647: a; b\"";

        var data = CatalogueFiles.Parse(new StringReader(ValidDepartments), new StringReader(categories));

        var bridge = Assert.Single(data.Categories, c => c.Id == "w-bridge");
        Assert.Equal("Bridge, culvert or \"pulia\" damaged", bridge.Name);
        Assert.Equal([2, 2, 3, 3], bridge.Sla.LevelDays);
        Assert.Equal("CPGRAMS 647: a; b", bridge.Source);
    }

    private const string ValidDepartments = """
        id,name,name_hindi,seat_state,seat_division,seat_district,seat_tehsil,seat_block,seat_urban_local_body
        works,Public Works Department,लोक निर्माण विभाग,Engineer-in-Chief,Superintending Engineer,Executive Engineer,,,
        """;

    private const string ValidCategories = """
        id,name,department_id,resolution_level,sla_l1_days,sla_l2_days,sla_l3_days,sla_l4_days,source
        w-road,Damaged road,works,District,7,7,7,7,DIGIT DamagedRoad
        """;

    /// <summary>Parses the valid sample with <paramref name="row"/> appended as row 3 of the categories file.</summary>
    private static InvalidDataException ParseWithCategoryRow(string row) =>
        Assert.Throws<InvalidDataException>(() =>
            CatalogueFiles.Parse(new StringReader(ValidDepartments), new StringReader(ValidCategories + "\n" + row)));

    private static int DataLines(string file) =>
        CatalogueFiles.ReadEmbeddedText(file).Split('\n').Count(line => !string.IsNullOrWhiteSpace(line)) - 1;

    private static string? FindTaxonomyDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Helpline.sln")))
            {
                var taxonomy = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "taxonomy"));
                return Directory.Exists(taxonomy) ? taxonomy : null;
            }
        }

        return null;
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    private static partial Regex KebabCode();

    [GeneratedRegex(@"^(CPGRAMS \d+|DIGIT \w+)")]
    private static partial Regex SourceEntry();

    [GeneratedRegex(@"(?<system>CPGRAMS|DIGIT) (?<code>\w+)")]
    private static partial Regex CitedCode();
}
