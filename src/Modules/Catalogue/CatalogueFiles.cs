using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Helpline.Jurisdictions;

namespace Helpline.Catalogue;

/// <summary>The departments and categories read from the shipped files, validated, in file order.</summary>
internal sealed record CatalogueData(IReadOnlyList<Department> Departments, IReadOnlyList<Category> Categories);

/// <summary>
/// Reads and validates the curated catalogue shipped as embedded resources (<c>Data/departments.csv</c>,
/// <c>Data/categories.csv</c> and the categories' Hindi names, <c>Data/categories-hi.csv</c>; provenance in
/// <c>Data/SOURCES.md</c>). Row numbers in errors are file line numbers,
/// the header being row 1.
/// </summary>
internal static partial class CatalogueFiles
{
    /// <summary>File name of the departments file.</summary>
    public const string DepartmentsFile = "departments.csv";

    /// <summary>File name of the categories file.</summary>
    public const string CategoriesFile = "categories.csv";

    /// <summary>File name of the categories' Hindi names (<c>id,name_hindi</c>, one row per category of <see cref="CategoriesFile"/>).</summary>
    public const string CategoriesHindiFile = "categories-hi.csv";

    /// <summary>Longest Hindi name: the limit of an administrator's rename too.</summary>
    public const int MaxHindiNameLength = CategoryInput.MaxNameLength;

    /// <summary>Most calendar days a single level may be given; anything longer is taken for a typing error.</summary>
    public const int MaxLevelDays = 365;

    /// <summary>Kinds every department must keep a seat at, so that an L1..L4 supervisor chain exists above any seat.</summary>
    public static readonly IReadOnlyList<JurisdictionKind> RequiredSeatKinds = [JurisdictionKind.District, JurisdictionKind.Division, JurisdictionKind.State];

    private static readonly string[] DepartmentColumns = ["id", "name", "name_hindi"];

    private static readonly string[] CategoryColumns =
        ["id", "name", "department_id", "resolution_level", "sla_l1_days", "sla_l2_days", "sla_l3_days", "sla_l4_days", "source"];

    private static readonly string[] CategoryHindiColumns = ["id", "name_hindi"];

    private static readonly FrozenDictionary<string, JurisdictionKind> KindsByName =
        Enum.GetValues<JurisdictionKind>().ToFrozenDictionary(k => k.ToString(), StringComparer.Ordinal);

    /// <summary>Seat columns of the departments file, <c>seat_&lt;kind in snake case&gt;</c>, for example <c>seat_urban_local_body</c>.</summary>
    private static readonly FrozenDictionary<string, JurisdictionKind> SeatColumns =
        Enum.GetValues<JurisdictionKind>().ToFrozenDictionary(k => "seat_" + SnakeCase(k.ToString()), StringComparer.Ordinal);

    /// <summary>Reads and validates the files embedded in this assembly.</summary>
    /// <exception cref="InvalidDataException">A file is missing or malformed; the message names the file, row and reason.</exception>
    public static CatalogueData ReadEmbedded()
    {
        using var departments = new StringReader(ReadEmbeddedText(DepartmentsFile));
        using var categories = new StringReader(ReadEmbeddedText(CategoriesFile));
        using var categoriesHindi = new StringReader(ReadEmbeddedText(CategoriesHindiFile));
        return Parse(departments, categories, categoriesHindi);
    }

    /// <summary>The text of an embedded data file, for example <see cref="CategoriesFile"/>.</summary>
    /// <exception cref="InvalidDataException">No such file is embedded.</exception>
    public static string ReadEmbeddedText(string fileName)
    {
        var resource = "Helpline.Catalogue.Data." + fileName;
        using var stream = typeof(CatalogueFiles).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidDataException($"{fileName}: not embedded in {typeof(CatalogueFiles).Assembly.GetName().Name} (resource '{resource}').");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Parses and validates a departments file, a categories file and, when given, the categories' Hindi names, which
    /// must then name every category exactly once (without it, as for a small test catalogue, no category has one).
    /// </summary>
    /// <exception cref="InvalidDataException">A row is malformed or breaks a rule; the message names the file, row and reason.</exception>
    public static CatalogueData Parse(
        TextReader departments,
        TextReader categories,
        TextReader? categoriesHindi = null,
        string departmentsFileName = DepartmentsFile,
        string categoriesFileName = CategoriesFile,
        string categoriesHindiFileName = CategoriesHindiFile)
    {
        var departmentList = ParseDepartments(departments, departmentsFileName);
        var (categoryList, categoryRows) = ParseCategories(categories, categoriesFileName, departmentList, departmentsFileName);
        if (categoriesHindi is not null)
        {
            var hindiNames = ParseCategoriesHindi(categoriesHindi, categoriesHindiFileName, categoryRows, categoriesFileName);
            categoryList = [.. categoryList.Select(c => c with { NameHindi = hindiNames[c.Id] })];
        }

        return new CatalogueData(departmentList, categoryList);
    }

    private static List<Department> ParseDepartments(TextReader reader, string file)
    {
        var (header, records) = ReadTable(reader, file);
        var columns = IndexColumns(header, file, DepartmentColumns, optional: SeatColumns.Keys);
        foreach (var kind in RequiredSeatKinds)
        {
            if (!columns.ContainsKey(SeatColumnOf(kind)))
            {
                throw Bad(file, header.Row, $"missing column '{SeatColumnOf(kind)}'");
            }
        }

        var result = new List<Department>();
        var firstRowOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            CheckFieldCount(record, header, file);
            string Field(string column) => record.Fields[columns[column]].Trim();

            var id = Field("id");
            CheckId(id, file, record.Row, firstRowOf);
            var name = Field("name");
            if (name.Length == 0)
            {
                throw Bad(file, record.Row, $"department '{id}' has an empty name");
            }

            var hindi = Field("name_hindi");
            var seats = new Dictionary<JurisdictionKind, string>();
            foreach (var (column, kind) in SeatColumns)
            {
                if (columns.ContainsKey(column) && Field(column) is { Length: > 0 } title)
                {
                    seats[kind] = title;
                }
            }

            foreach (var kind in RequiredSeatKinds)
            {
                if (!seats.ContainsKey(kind))
                {
                    throw Bad(file, record.Row,
                        $"department '{id}' has no {kind} seat ({SeatColumnOf(kind)} is empty); every department needs District, Division and State seats");
                }
            }

            result.Add(new Department(id, name, hindi.Length == 0 ? null : hindi, seats));
        }

        return result;
    }

    private static (List<Category> Categories, Dictionary<string, int> RowOf) ParseCategories(
        TextReader reader, string file, List<Department> departments, string departmentsFile)
    {
        var (header, records) = ReadTable(reader, file);
        var columns = IndexColumns(header, file, CategoryColumns, optional: []);
        var departmentsById = departments.ToDictionary(d => d.Id, StringComparer.Ordinal);
        var result = new List<Category>();
        var firstRowOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            CheckFieldCount(record, header, file);
            string Field(string column) => record.Fields[columns[column]].Trim();

            var id = Field("id");
            CheckId(id, file, record.Row, firstRowOf);
            var name = Field("name");
            if (name.Length == 0)
            {
                throw Bad(file, record.Row, $"category '{id}' has an empty name");
            }

            var departmentId = Field("department_id");
            if (!departmentsById.TryGetValue(departmentId, out var department))
            {
                throw Bad(file, record.Row, $"category '{id}': department '{departmentId}' does not exist in {departmentsFile}");
            }

            var levelText = Field("resolution_level");
            if (!KindsByName.TryGetValue(levelText, out var level))
            {
                throw Bad(file, record.Row,
                    $"category '{id}': resolution level '{levelText}' is not a jurisdiction kind (one of {string.Join(", ", KindsByName.Keys.Order(StringComparer.Ordinal))})");
            }

            if (!department.SeatTitles.ContainsKey(level))
            {
                throw Bad(file, record.Row,
                    $"category '{id}': resolution level {level} is not a seat of department '{departmentId}' (its seats: {string.Join(", ", department.SeatTitles.Keys.Order())})");
            }

            var days = new int[4];
            for (var l = 1; l <= 4; l++)
            {
                var column = $"sla_l{l}_days";
                var text = Field(column);
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1 || value > MaxLevelDays)
                {
                    throw Bad(file, record.Row, $"category '{id}': {column} '{text}' is not a whole number of calendar days from 1 to {MaxLevelDays}");
                }

                days[l - 1] = value;
            }

            var source = Field("source");
            if (source.Length == 0)
            {
                throw Bad(file, record.Row, $"category '{id}' has an empty source");
            }

            result.Add(new Category(id, name, departmentId, level, new SlaPolicy(days), source));
        }

        return (result, firstRowOf);
    }

    /// <summary>The Hindi name of every category, by id; <paramref name="categoryRows"/> gives each category's row in its file.</summary>
    private static Dictionary<string, string> ParseCategoriesHindi(
        TextReader reader, string file, Dictionary<string, int> categoryRows, string categoriesFile)
    {
        var (header, records) = ReadTable(reader, file);
        var columns = IndexColumns(header, file, CategoryHindiColumns, optional: []);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var firstRowOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            CheckFieldCount(record, header, file);
            string Field(string column) => record.Fields[columns[column]].Trim();

            var id = Field("id");
            CheckId(id, file, record.Row, firstRowOf);
            if (!categoryRows.ContainsKey(id))
            {
                throw Bad(file, record.Row, $"category '{id}' does not exist in {categoriesFile}");
            }

            var hindi = Field("name_hindi");
            if (hindi.Length == 0)
            {
                throw Bad(file, record.Row, $"category '{id}' has an empty Hindi name");
            }

            if (hindi.Length > MaxHindiNameLength)
            {
                throw Bad(file, record.Row, $"category '{id}': the Hindi name has {hindi.Length} characters; at most {MaxHindiNameLength}");
            }

            // Catches an English name pasted into the Hindi column.
            if (!hindi.Any(c => c is >= '\u0900' and <= '\u097F'))
            {
                throw Bad(file, record.Row, $"category '{id}': the Hindi name '{hindi}' has no Devanagari letter");
            }

            result[id] = hindi;
        }

        // A missing row has no line of its own: the message names the line of the category that lacks it.
        foreach (var (id, row) in categoryRows.OrderBy(r => r.Value))
        {
            if (!result.ContainsKey(id))
            {
                throw new InvalidDataException($"{file}: no row for category '{id}' ({categoriesFile}, row {row}); every category needs a Hindi name");
            }
        }

        return result;
    }

    private static (CsvRecord Header, List<CsvRecord> Records) ReadTable(TextReader reader, string file)
    {
        var all = Csv.Read(reader, file).ToList();
        if (all.Count == 0)
        {
            throw new InvalidDataException($"{file}, row 1: the file is empty (no header)");
        }

        if (all.Count == 1)
        {
            throw new InvalidDataException($"{file}, row {all[0].Row}: the file has a header but no data rows");
        }

        var header = all[0];
        all.RemoveAt(0);
        return (header, all);
    }

    private static Dictionary<string, int> IndexColumns(CsvRecord header, string file, IEnumerable<string> required, IEnumerable<string> optional)
    {
        var allowed = new HashSet<string>(required.Concat(optional), StringComparer.Ordinal);
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Fields.Count; i++)
        {
            var name = header.Fields[i].Trim().TrimStart('\uFEFF');
            if (!allowed.Contains(name))
            {
                throw Bad(file, header.Row, $"unknown column '{name}'");
            }

            if (!columns.TryAdd(name, i))
            {
                throw Bad(file, header.Row, $"column '{name}' appears twice");
            }
        }

        foreach (var name in required)
        {
            if (!columns.ContainsKey(name))
            {
                throw Bad(file, header.Row, $"missing column '{name}'");
            }
        }

        return columns;
    }

    private static void CheckFieldCount(CsvRecord record, CsvRecord header, string file)
    {
        if (record.Fields.Count != header.Fields.Count)
        {
            throw Bad(file, record.Row, $"expected {header.Fields.Count} fields as in the header but found {record.Fields.Count}");
        }
    }

    private static void CheckId(string id, string file, int row, Dictionary<string, int> firstRowOf)
    {
        if (!KebabCode().IsMatch(id))
        {
            throw Bad(file, row, $"id '{id}' is not a lower-case kebab code (letters, digits and single hyphens, starting with a letter)");
        }

        if (!firstRowOf.TryAdd(id, row))
        {
            throw Bad(file, row, $"duplicate id '{id}' (already used at row {firstRowOf[id]})");
        }
    }

    private static string SeatColumnOf(JurisdictionKind kind) => "seat_" + SnakeCase(kind.ToString());

    private static string SnakeCase(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 4);
        foreach (var c in pascal)
        {
            if (char.IsUpper(c) && builder.Length > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    private static InvalidDataException Bad(string file, int row, string reason) => new($"{file}, row {row}: {reason}");

    /// <summary>A lower-case kebab code, the same rule as the id check constraints of the schema.</summary>
    [GeneratedRegex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    internal static partial Regex KebabCode();
}
