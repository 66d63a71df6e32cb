using System.Security.Cryptography;
using System.Text;
using Helpline.Catalogue;
using Helpline.Jurisdictions;

namespace Helpline.Officers.Roster;

/// <summary>
/// Generates Uttar Pradesh's positions from the catalogue's seat titles and the jurisdiction tree. Pure and
/// deterministic: the same departments and tree give the same positions in the same order.
/// </summary>
internal static class RosterGenerator
{
    /// <summary>Id of the Uttar Pradesh root in the jurisdiction tree.</summary>
    internal const string UttarPradeshId = "state:9";

    /// <summary>The position id for a department's seat at a jurisdiction.</summary>
    internal static string PositionId(string departmentId, string jurisdictionId) => departmentId + "@" + jurisdictionId;

    /// <summary>
    /// One position per (department, node under <paramref name="rootId"/> whose kind has a seat title in the department),
    /// ordered by department id and then breadth first down the tree (children by name). Each position's supervisor is
    /// the department's seat at the nearest ancestor that has one.
    /// </summary>
    internal static IReadOnlyList<Position> Positions(IEnumerable<Department> departments, IJurisdictionDirectory jurisdictions, string rootId)
    {
        var root = jurisdictions.Find(rootId)
            ?? throw new InvalidOperationException($"Jurisdiction '{rootId}' is not in the directory: load jurisdictions before officers.");
        var nodes = BreadthFirst(jurisdictions, root);
        var positions = new List<Position>();
        foreach (var department in departments.OrderBy(d => d.Id, StringComparer.Ordinal))
        {
            if (department.SeatTitles.Count == 0)
            {
                continue;
            }

            var seats = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in nodes)
            {
                if (!department.SeatTitles.TryGetValue(node.Kind, out var title) || string.IsNullOrWhiteSpace(title))
                {
                    continue;
                }

                // Parents come before children in breadth-first order, so every ancestor's seat is already known.
                string? supervisor = null;
                var path = jurisdictions.PathToRoot(node.Id);
                for (var i = 1; i < path.Count && supervisor is null; i++)
                {
                    if (seats.Contains(path[i].Id))
                    {
                        supervisor = PositionId(department.Id, path[i].Id);
                    }
                }

                seats.Add(node.Id);
                positions.Add(new Position(PositionId(department.Id, node.Id), title.Trim(), department.Id, node.Id, supervisor));
            }
        }

        return positions;
    }

    /// <summary>SHA-256 (hex) of the positions and of the identity generator's version.</summary>
    internal static string ContentHash(IReadOnlyList<Position> positions)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string? s)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(s ?? "\u2205"));
            hash.AppendData("\u001f"u8);
        }

        Add(FakeIdentity.Version);
        foreach (var p in positions)
        {
            Add(p.Id);
            Add(p.Title);
            Add(p.DepartmentId);
            Add(p.JurisdictionId);
            Add(p.SupervisorPositionId);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The generated officer with this number, holding <paramref name="positionId"/>.</summary>
    internal static Officer Officer(int number, string positionId) =>
        new(FakeIdentity.OfficerId(number), FakeIdentity.Name(number), FakeIdentity.Mobile(number), positionId);

    private static List<Jurisdiction> BreadthFirst(IJurisdictionDirectory jurisdictions, Jurisdiction root)
    {
        var order = new List<Jurisdiction> { root };
        for (var i = 0; i < order.Count; i++)
        {
            order.AddRange(jurisdictions.ChildrenOf(order[i].Id));
        }

        return order;
    }
}
