using System.Globalization;
using System.Text;

namespace Helpline.Jurisdictions.Loading;

/// <summary>A shipped row the loader could not take, and why. Reported, never dropped silently.</summary>
internal sealed record RejectedRow(string File, int Line, string Reason)
{
    public override string ToString() => $"{File}, line {Line}: {Reason}";
}

/// <summary>
/// Uttar Pradesh's jurisdiction tree read from the shipped files (see <c>Data/SOURCES.md</c>): state, 18 divisions,
/// 75 districts, and under each district its tehsils, blocks and urban local bodies. Rows that cannot be placed are
/// listed in <see cref="Rejected"/>; the totals must then still equal <see cref="ExpectedCounts"/>, which guards
/// against a silently truncated or changed file.
/// </summary>
internal sealed class UpReferenceData
{
    internal const string DistrictsFile = "lgd_up_districts.csv";
    internal const string DivisionsFile = "up_divisions.csv";
    internal const string TehsilsFile = "lgd_up_subdistricts_tehsils.csv";
    internal const string BlocksFile = "lgd_up_blocks.csv";
    internal const string UrbanLocalBodiesFile = "lgd_up_urban_local_bodies.csv";
    internal const string UrbanLocalBodyDistrictsFile = "lgd_up_ulb_districts.csv";

    /// <summary>Uttar Pradesh's LGD state code.</summary>
    internal const string StateCode = "9";

    /// <summary>Id of the Uttar Pradesh root.</summary>
    internal const string StateId = "state:" + StateCode;

    /// <summary>
    /// Nodes per kind in the shipped files. Urban local bodies are 762, not the 763 rows of the ULB file: 297046
    /// (Pakadia Naugawa) has no district in the LGD coverage data and is reported as rejected.
    /// </summary>
    internal static readonly IReadOnlyDictionary<JurisdictionKind, int> ExpectedCounts = new Dictionary<JurisdictionKind, int>
    {
        [JurisdictionKind.State] = 1,
        [JurisdictionKind.Division] = 18,
        [JurisdictionKind.District] = 75,
        [JurisdictionKind.Tehsil] = 352,
        [JurisdictionKind.Block] = 828,
        [JurisdictionKind.UrbanLocalBody] = 762,
    };

    private readonly List<Jurisdiction> _nodes = [];
    private readonly List<RejectedRow> _rejected = [];
    private readonly List<string> _fatal = [];
    private readonly Dictionary<string, Jurisdiction> _districts = new(StringComparer.Ordinal);

    private UpReferenceData()
    {
    }

    /// <summary>Every node, parents before children.</summary>
    internal IReadOnlyList<Jurisdiction> Nodes => _nodes;

    internal IReadOnlyList<RejectedRow> Rejected => _rejected;

    /// <summary>Reads the files embedded in this assembly.</summary>
    internal static UpReferenceData ReadEmbedded()
    {
        var assembly = typeof(UpReferenceData).Assembly;
        return Read(file =>
        {
            var stream = assembly.GetManifestResourceStream("Helpline.Jurisdictions.Data." + file)
                ?? throw new InvalidDataException($"{file}: not embedded in {assembly.GetName().Name}.");
            return new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        });
    }

    /// <summary>Reads, places and validates every file.</summary>
    /// <exception cref="InvalidDataException">A file is malformed, a district is in no division or in two, or the totals differ from <see cref="ExpectedCounts"/>.</exception>
    internal static UpReferenceData Read(Func<string, TextReader> open)
    {
        CsvTable Table(string file)
        {
            using var reader = open(file);
            return CsvTable.Parse(file, reader);
        }

        var data = new UpReferenceData();
        var state = data.ReadDistricts(Table(DistrictsFile));
        data.ReadDivisions(Table(DivisionsFile), state);
        data.ReadChildren(Table(TehsilsFile), JurisdictionKind.Tehsil, "tehsil", ["Sub-district Code", "Subdistrict Code"], ["Sub-district Name", "Subdistrict Name"]);
        data.ReadChildren(Table(BlocksFile), JurisdictionKind.Block, "block", ["Block Code"], ["Block Name"]);
        data.ReadUrbanLocalBodies(Table(UrbanLocalBodiesFile), Table(UrbanLocalBodyDistrictsFile));
        data.Validate();
        return data;
    }

    /// <summary>Nodes per kind.</summary>
    internal IReadOnlyDictionary<JurisdictionKind, int> Counts() =>
        _nodes.GroupBy(n => n.Kind).ToDictionary(g => g.Key, g => g.Count());

    private Jurisdiction ReadDistricts(CsvTable table)
    {
        var stateCode = table.Require("State Code");
        var stateName = table.Require("State Name");
        var code = table.Require("District Code", "District LGD Code");
        var name = table.Require("District Name");
        string? upName = null;
        foreach (var row in table.Rows)
        {
            if (!IsUttarPradesh(table, row, stateCode))
            {
                continue;
            }

            upName ??= stateName.In(row);
            if (Code(table, row, code) is not { } lgd || Name(table, row, name) is not { } districtName)
            {
                continue;
            }

            var district = new Jurisdiction("district:" + lgd, districtName, JurisdictionKind.District, null, lgd);
            if (!_districts.TryAdd(lgd, district))
            {
                Reject(table, row, $"district {lgd} appears more than once");
            }
        }

        if (string.IsNullOrEmpty(upName))
        {
            throw new InvalidDataException($"{table.FileName}: no district of state {StateCode} (Uttar Pradesh).");
        }

        var state = new Jurisdiction(StateId, upName, JurisdictionKind.State, null, StateCode);
        _nodes.Add(state);
        return state;
    }

    private void ReadDivisions(CsvTable table, Jurisdiction state)
    {
        var divisionName = table.Require("Division Name", "Division");
        var districtCode = table.Require("District Code", "District LGD Code");
        var divisions = new SortedDictionary<string, Jurisdiction>(StringComparer.Ordinal);
        var divisionOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in table.Rows)
        {
            if (Name(table, row, divisionName) is not { } name || Code(table, row, districtCode) is not { } lgd)
            {
                continue;
            }

            var slug = Slug(name);
            if (slug.Length == 0)
            {
                Reject(table, row, $"division name '{name}' has no letters or digits");
                continue;
            }

            var id = "division:" + slug;
            if (divisions.TryGetValue(id, out var existing) && existing.Name != name)
            {
                _fatal.Add($"{table.FileName}, line {row.Line}: divisions '{existing.Name}' and '{name}' have the same id {id}");
                continue;
            }

            divisions[id] = existing ?? new Jurisdiction(id, name, JurisdictionKind.Division, state.Id, null);
            if (!_districts.ContainsKey(lgd))
            {
                Reject(table, row, $"district {lgd} is not in {DistrictsFile}");
            }
            else if (divisionOf.TryGetValue(lgd, out var other))
            {
                if (other == id)
                {
                    Reject(table, row, $"district {lgd} is listed twice under {name}");
                }
                else
                {
                    _fatal.Add($"{table.FileName}, line {row.Line}: district {lgd} is in two divisions, {other} and {id}");
                }
            }
            else
            {
                divisionOf[lgd] = id;
            }
        }

        _nodes.AddRange(divisions.Values);
        foreach (var (lgd, district) in _districts.OrderBy(d => int.Parse(d.Key, CultureInfo.InvariantCulture)))
        {
            if (!divisionOf.TryGetValue(lgd, out var divisionId))
            {
                _fatal.Add($"{DivisionsFile}: district {lgd} ({district.Name}) is in no division");
                continue;
            }

            var placed = district with { ParentId = divisionId };
            _districts[lgd] = placed;
            _nodes.Add(placed);
        }
    }

    private void ReadChildren(CsvTable table, JurisdictionKind kind, string prefix, string[] codeHeaders, string[] nameHeaders)
    {
        var stateCode = table.Require("State Code");
        var districtCode = table.Require("District Code", "District LGD Code");
        var code = table.Require(codeHeaders);
        var name = table.Require(nameHeaders);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in table.Rows)
        {
            if (!IsUttarPradesh(table, row, stateCode)
                || Code(table, row, code) is not { } lgd
                || Name(table, row, name) is not { } childName
                || Code(table, row, districtCode) is not { } district)
            {
                continue;
            }

            if (!_districts.TryGetValue(district, out var parent))
            {
                Reject(table, row, $"district {district} is not in {DistrictsFile}");
            }
            else if (!seen.Add(lgd))
            {
                Reject(table, row, $"{prefix} {lgd} appears more than once");
            }
            else
            {
                _nodes.Add(new Jurisdiction(prefix + ":" + lgd, childName, kind, parent.Id, lgd));
            }
        }
    }

    private void ReadUrbanLocalBodies(CsvTable bodies, CsvTable mapping)
    {
        var mappedCode = mapping.Require("Local Body Code", "Localbody Code");
        var mappedDistrict = mapping.Require("District Code");
        var districtOf = new Dictionary<string, (string District, CsvRow Row)>(StringComparer.Ordinal);
        foreach (var row in mapping.Rows)
        {
            if (Code(mapping, row, mappedCode) is not { } lgd || Code(mapping, row, mappedDistrict) is not { } district)
            {
                continue;
            }

            if (!_districts.ContainsKey(district))
            {
                Reject(mapping, row, $"district {district} is not in {DistrictsFile}");
            }
            else if (!districtOf.TryAdd(lgd, (district, row)))
            {
                Reject(mapping, row, $"urban local body {lgd} is mapped more than once");
            }
        }

        var stateCode = bodies.Require("State Code");
        var code = bodies.Require("Local Body Code", "Localbody Code");
        var name = bodies.Require("Local Body Name", "Localbody Name");
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in bodies.Rows)
        {
            if (!IsUttarPradesh(bodies, row, stateCode) || Code(bodies, row, code) is not { } lgd || Name(bodies, row, name) is not { } bodyName)
            {
                continue;
            }

            if (!used.Add(lgd))
            {
                Reject(bodies, row, $"urban local body {lgd} appears more than once");
            }
            else if (!districtOf.TryGetValue(lgd, out var mapped))
            {
                Reject(bodies, row, $"urban local body {lgd} ({bodyName}) has no district: it is not in {UrbanLocalBodyDistrictsFile}");
            }
            else
            {
                _nodes.Add(new Jurisdiction("ulb:" + lgd, bodyName, JurisdictionKind.UrbanLocalBody, _districts[mapped.District].Id, lgd));
            }
        }

        foreach (var (lgd, (_, row)) in districtOf)
        {
            if (!used.Contains(lgd))
            {
                Reject(mapping, row, $"urban local body {lgd} is not in {UrbanLocalBodiesFile}");
            }
        }
    }

    private void Validate()
    {
        var counts = Counts();
        foreach (var (kind, expected) in ExpectedCounts)
        {
            var actual = counts.GetValueOrDefault(kind);
            if (actual != expected)
            {
                _fatal.Add($"expected {expected} {kind} node(s), found {actual}");
            }
        }

        if (_fatal.Count > 0)
        {
            var rejected = _rejected.Count == 0 ? string.Empty : $" Rejected rows ({_rejected.Count}): " + string.Join("; ", _rejected.Take(20));
            throw new InvalidDataException("The shipped Uttar Pradesh jurisdiction files are inconsistent: " + string.Join("; ", _fatal) + "." + rejected);
        }
    }

    private bool IsUttarPradesh(CsvTable table, CsvRow row, Column stateCode)
    {
        var code = NormaliseCode(stateCode.In(row));
        if (code == StateCode)
        {
            return true;
        }

        Reject(table, row, $"state code '{stateCode.In(row)}' is not {StateCode} (Uttar Pradesh)");
        return false;
    }

    private string? Code(CsvTable table, CsvRow row, Column column)
    {
        var raw = column.In(row);
        var code = NormaliseCode(raw);
        if (code is null)
        {
            Reject(table, row, raw.Length == 0 ? $"no {column.Name}" : $"{column.Name} '{raw}' is not a positive whole number");
        }

        return code;
    }

    private string? Name(CsvTable table, CsvRow row, Column column)
    {
        var name = column.In(row);
        if (name.Length == 0)
        {
            Reject(table, row, $"no {column.Name}");
            return null;
        }

        return name;
    }

    private void Reject(CsvTable table, CsvRow row, string reason) => _rejected.Add(new RejectedRow(table.FileName, row.Line, reason));

    /// <summary>A positive integer code without leading zeros, or null.</summary>
    internal static string? NormaliseCode(string raw) =>
        raw.Length is > 0 and <= 9 && raw.All(char.IsAsciiDigit) && int.Parse(raw, CultureInfo.InvariantCulture) is var n and > 0
            ? n.ToString(CultureInfo.InvariantCulture)
            : null;

    /// <summary>Lower-case ASCII letters and digits, other runs replaced by one hyphen: "Chitrakoot Dham (Banda)" is <c>chitrakoot-dham-banda</c>.</summary>
    internal static string Slug(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }
        }

        return sb.ToString().TrimEnd('-');
    }
}
