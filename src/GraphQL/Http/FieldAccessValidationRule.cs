using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser;
using GraphQLParser.AST;
using Helpline.Platform.Access;

namespace Helpline.GraphQL.Http;

/// <summary>
/// Refuses, before anything runs, a document that names a field the caller's role may not ask for
/// (<see cref="FieldAccess"/>): root fields must declare their roles, nested fields may narrow them. The public gets
/// <see cref="AccessErrorCodes.AuthenticationRequired"/> (401), anyone else <see cref="AccessErrorCodes.Forbidden"/> (403).
/// </summary>
internal sealed class FieldAccessValidationRule : ValidationRuleBase
{
    public static FieldAccessValidationRule Instance { get; } = new();

    private static readonly MatchingNodeVisitor<GraphQLField> Visitor = new((field, context) =>
    {
        if (field.Name.Value.Span.StartsWith("__"))
            return; // introspection: the schema is public
        if (context.TypeInfo.GetFieldDef() is not { } definition || context.TypeInfo.GetParentType() is not { } parent)
            return; // an unknown field: the core rules report it

        var roles = FieldAccess.RolesOf(definition);
        var isRoot = parent == context.Schema.Query || parent == context.Schema.Mutation || parent == context.Schema.Subscription;
        if (roles is null && !isRoot)
            return;

        var caller = Caller.Of(context);
        if (roles is not null && roles.Contains(caller.Role))
            return;

        var allowed = roles is null || roles.Count == 0 ? "nobody (the field declares no roles)" : string.Join(", ", roles.Order().Select(RoleNames.NameOf));
        var name = parent is IObjectGraphType && !isRoot ? $"{parent.Name}.{definition.Name}" : definition.Name;
        context.ReportError(caller.IsPublic
            ? new AccessDeniedError(context.Document.Source, AccessErrorCodes.AuthenticationRequired,
                $"'{name}' needs a bearer token (roles: {allowed}); send 'Authorization: Bearer <token>'.", field)
            : new AccessDeniedError(context.Document.Source, AccessErrorCodes.Forbidden,
                $"'{name}' is not for the role {RoleNames.NameOf(caller.Role)} (roles: {allowed}).", field));
    });

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) => new(Visitor);
}

/// <summary>A field the caller may not ask for; the transport answers 401 or 403 with its code.</summary>
internal sealed class AccessDeniedError : ValidationError
{
    public AccessDeniedError(ROM source, string code, string message, ASTNode node)
        : base(source, code, message, node)
    {
        Code = code;
    }

    public bool NeedsAuthentication => Code == AccessErrorCodes.AuthenticationRequired;
}
