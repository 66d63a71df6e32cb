using GraphQL;
using GraphQL.Types;
using Helpline.Platform.Access;
using Helpline.Platform.Modules;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Jurisdictions.GraphQL;

/// <summary>GraphQL enum <c>JurisdictionKind</c>.</summary>
public sealed class JurisdictionKindGraphType : EnumerationGraphType<JurisdictionKind>
{
    /// <summary>Creates the type.</summary>
    public JurisdictionKindGraphType() => Name = "JurisdictionKind";
}

/// <summary>GraphQL type <c>Jurisdiction</c>; other modules add fields with <see cref="IGraphTypeExtension{TGraphType}"/>.</summary>
public sealed class JurisdictionGraphType : ObjectGraphType<Jurisdiction>
{
    /// <summary>The type's name in global ids.</summary>
    public const string NodeTypeName = "Jurisdiction";

    /// <summary>Creates the type, then applies the extensions registered by other modules.</summary>
    /// <param name="extensions">Fields other modules add (for example the seats at a jurisdiction).</param>
    public JurisdictionGraphType(IEnumerable<IGraphTypeExtension<JurisdictionGraphType>> extensions)
    {
        ArgumentNullException.ThrowIfNull(extensions);
        Name = "Jurisdiction";
        Description = "A node of the administrative tree (state, division, district, tehsil, block, urban local body).";
        Field(x => x.Id).Description("Stable kind-prefixed id, e.g. district:162.");
        Field(x => x.Name);
        Field(x => x.Kind, type: typeof(NonNullGraphType<JurisdictionKindGraphType>));
        Field(x => x.LgdCode, nullable: true).Description("Local Government Directory code.");
        Field<JurisdictionGraphType>("parent").Resolve(c => c.Source.ParentId is null ? null : JurisdictionsGraphQL.Directory(c).Find(c.Source.ParentId));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<JurisdictionGraphType>>>>("children").Resolve(c => JurisdictionsGraphQL.Directory(c).ChildrenOf(c.Source.Id));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<JurisdictionGraphType>>>>("path")
            .Description("This node and its ancestors, root last.")
            .Resolve(c => JurisdictionsGraphQL.Directory(c).PathToRoot(c.Source.Id));
        NodeGraphType.Implement(this, NodeTypeName, j => j.Id);
        foreach (var extension in extensions)
        {
            extension.Extend(this);
        }
    }
}

/// <summary>The Jurisdictions module's root fields: <c>jurisdiction</c> and <c>jurisdictions</c>.</summary>
internal sealed class JurisdictionsGraphQL : GraphQLPart
{
    public static IJurisdictionDirectory Directory(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IJurisdictionDirectory>();

    public override void AddTypes(global::GraphQL.DI.IGraphQLBuilder graphql)
    {
        base.AddTypes(graphql);
        graphql.Services.Register<INodeSource, JurisdictionNodes>(global::GraphQL.DI.ServiceLifetime.Singleton);
    }

    public override void AddQueryFields(ObjectGraphType query)
    {
        query.Field<JurisdictionGraphType>("jurisdiction")
            .AllowedTo(FieldAccess.Everyone)
            .Description("A jurisdiction by id; null when unknown.")
            .Argument<NonNullGraphType<StringGraphType>>("id")
            .Resolve(c => Directory(c).Find(c.GetArgument<string>("id")));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<JurisdictionGraphType>>>>("jurisdictions")
            .AllowedTo(FieldAccess.Everyone)
            .Description("The roots of the jurisdiction tree (Uttar Pradesh); walk down with children.")
            .Resolve(c => Directory(c).Roots);
    }
}

/// <summary><c>node(id)</c> for a jurisdiction: as the root field <c>jurisdiction</c>, open to everyone; null when unknown.</summary>
internal sealed class JurisdictionNodes : INodeSource
{
    public string TypeName => JurisdictionGraphType.NodeTypeName;

    public Task<object?> FindAsync(IResolveFieldContext context, string key) => Task.FromResult<object?>(JurisdictionsGraphQL.Directory(context).Find(key));
}
