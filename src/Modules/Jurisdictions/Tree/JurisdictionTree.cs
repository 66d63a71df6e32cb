using System.Collections.Frozen;
using System.Collections.ObjectModel;

namespace Helpline.Jurisdictions.Tree;

/// <summary>
/// An immutable, validated jurisdiction tree: every node's parent exists, there are no cycles, and each node's path
/// to the root is precomputed. Built once per load and swapped into <see cref="JurisdictionDirectory"/> whole.
/// </summary>
internal sealed class JurisdictionTree
{
    /// <summary>Deeper trees are refused; UP is five levels deep, an imported city two.</summary>
    internal const int MaxDepth = 16;

    private static readonly ReadOnlyCollection<Jurisdiction> None = ReadOnlyCollection<Jurisdiction>.Empty;

    private readonly FrozenDictionary<string, Node> _nodes;

    private JurisdictionTree(FrozenDictionary<string, Node> nodes, ReadOnlyCollection<Jurisdiction> roots)
    {
        _nodes = nodes;
        Roots = roots;
    }

    /// <summary>The tree with no nodes.</summary>
    internal static JurisdictionTree Empty { get; } = new(FrozenDictionary<string, Node>.Empty, None);

    /// <summary>Roots ordered by kind (states before cities), then name.</summary>
    internal IReadOnlyList<Jurisdiction> Roots { get; }

    /// <summary>Number of nodes.</summary>
    internal int Count => _nodes.Count;

    /// <summary>Every node, in no particular order.</summary>
    internal IEnumerable<Jurisdiction> All => _nodes.Values.Select(n => n.Jurisdiction);

    internal Jurisdiction? Find(string id) => _nodes.TryGetValue(id, out var node) ? node.Jurisdiction : null;

    internal IReadOnlyList<Jurisdiction> ChildrenOf(string id) => _nodes.TryGetValue(id, out var node) ? node.Children : None;

    /// <summary>The node first, the root last.</summary>
    internal IReadOnlyList<Jurisdiction> PathToRoot(string id) => _nodes.TryGetValue(id, out var node) ? node.PathToRoot : None;

    /// <summary>The ids from the root down to the node (inclusive), as stored in <c>jurisdiction.path</c>.</summary>
    internal string[] PathFromRootIds(string id)
    {
        var path = PathToRoot(id);
        var ids = new string[path.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = path[path.Count - 1 - i].Id;
        }

        return ids;
    }

    internal bool IsWithin(string id, string ancestorId)
    {
        if (!_nodes.TryGetValue(id, out var node))
        {
            return false;
        }

        foreach (var step in node.PathToRoot)
        {
            if (string.Equals(step.Id, ancestorId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Builds a tree from nodes in any order. Fails, with one message per offending node, when an id repeats, a parent
    /// is missing, a node is its own ancestor, or the tree is deeper than <see cref="MaxDepth"/>.
    /// </summary>
    internal static bool TryBuild(IEnumerable<Jurisdiction> jurisdictions, out JurisdictionTree tree, out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        var byId = new Dictionary<string, Jurisdiction>(StringComparer.Ordinal);
        foreach (var j in jurisdictions)
        {
            if (!byId.TryAdd(j.Id, j))
            {
                problems.Add($"'{j.Id}' appears more than once");
            }
        }

        var children = new Dictionary<string, List<Jurisdiction>>(StringComparer.Ordinal);
        var roots = new List<Jurisdiction>();
        foreach (var j in byId.Values)
        {
            if (j.ParentId is null)
            {
                roots.Add(j);
            }
            else if (!byId.ContainsKey(j.ParentId))
            {
                problems.Add($"'{j.Id}' has parent '{j.ParentId}', which does not exist");
            }
            else
            {
                if (!children.TryGetValue(j.ParentId, out var list))
                {
                    children[j.ParentId] = list = [];
                }

                list.Add(j);
            }
        }

        // Paths: walk up from each node; a walk longer than MaxDepth is a cycle or an over-deep tree.
        var paths = new Dictionary<string, ReadOnlyCollection<Jurisdiction>>(byId.Count, StringComparer.Ordinal);
        foreach (var j in byId.Values)
        {
            var path = new List<Jurisdiction>(6);
            var current = j;
            var ok = true;
            while (current is not null)
            {
                path.Add(current);
                if (path.Count > MaxDepth)
                {
                    problems.Add($"'{j.Id}' lies in a cycle or more than {MaxDepth} levels deep");
                    ok = false;
                    break;
                }

                current = current.ParentId is null ? null : byId.GetValueOrDefault(current.ParentId);
            }

            if (ok)
            {
                paths[j.Id] = path.AsReadOnly();
            }
        }

        if (problems.Count > 0)
        {
            tree = Empty;
            errors = problems;
            return false;
        }

        var nodes = new Dictionary<string, Node>(byId.Count, StringComparer.Ordinal);
        foreach (var j in byId.Values)
        {
            var kids = children.TryGetValue(j.Id, out var list) ? Sorted(list).AsReadOnly() : None;
            nodes[j.Id] = new Node(j, paths[j.Id], kids);
        }

        var orderedRoots = roots
            .OrderBy(r => r.Kind)
            .ThenBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToList()
            .AsReadOnly();
        tree = new JurisdictionTree(nodes.ToFrozenDictionary(StringComparer.Ordinal), orderedRoots);
        errors = [];
        return true;
    }

    private static List<Jurisdiction> Sorted(List<Jurisdiction> list) =>
        [.. list.OrderBy(j => j.Name, StringComparer.OrdinalIgnoreCase).ThenBy(j => j.Name, StringComparer.Ordinal).ThenBy(j => j.Id, StringComparer.Ordinal)];

    private sealed record Node(Jurisdiction Jurisdiction, ReadOnlyCollection<Jurisdiction> PathToRoot, ReadOnlyCollection<Jurisdiction> Children);
}
