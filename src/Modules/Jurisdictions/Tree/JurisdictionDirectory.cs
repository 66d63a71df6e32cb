namespace Helpline.Jurisdictions.Tree;

/// <summary>
/// The in-memory <see cref="IJurisdictionDirectory"/>. It holds one immutable <see cref="JurisdictionTree"/>, read from
/// the database by the loader or the registry and swapped in whole, so readers never see a half-built tree.
/// Empty until the first load.
/// </summary>
internal sealed class JurisdictionDirectory : IJurisdictionDirectory
{
    private JurisdictionTree _tree = JurisdictionTree.Empty;

    /// <summary>The current snapshot; callers that make several lookups should take it once.</summary>
    internal JurisdictionTree Current => Volatile.Read(ref _tree);

    public IReadOnlyList<Jurisdiction> Roots => Current.Roots;

    public Jurisdiction? Find(string id) => id is null ? null : Current.Find(id);

    public IReadOnlyList<Jurisdiction> ChildrenOf(string id) => id is null ? [] : Current.ChildrenOf(id);

    public IReadOnlyList<Jurisdiction> PathToRoot(string id) => id is null ? [] : Current.PathToRoot(id);

    public bool IsWithin(string id, string ancestorId) => id is not null && ancestorId is not null && Current.IsWithin(id, ancestorId);

    /// <summary>Publishes a new snapshot atomically.</summary>
    internal void Replace(JurisdictionTree tree) => Volatile.Write(ref _tree, tree);
}
