using GraphQL;
using GraphQL.Types;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Platform.Modules;

/// <summary>
/// The root fields <c>node</c> and <c>nodes</c>: any refetchable object by its global id, through the
/// <see cref="INodeSource"/> of its type, so each type keeps the access rules of its own root field.
/// </summary>
internal sealed class NodeGraphQL : GraphQLPart
{
    /// <summary>The most ids one <c>nodes</c> takes.</summary>
    public const int MaxIds = 100;

    public override void AddQueryFields(ObjectGraphType query)
    {
        query.Field<NodeGraphType>("node")
            .Description("The object with this global id (take it from an object's globalId); null when it no longer exists. Each type answers as its own root field does: a grievance outside your scope is UNKNOWN_GRIEVANCE, a malformed id INVALID_VALUE.")
            .AllowedTo(FieldAccess.Everyone)
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await FindAsync(c, c.GetArgument<string>("id"), "id"));

        query.Field<NonNullGraphType<ListGraphType<NodeGraphType>>>("nodes")
            .Description($"The objects with these global ids, in the same order (at most {MaxIds}); null in place of one that does not exist or is refused, with an error for each refusal.")
            .AllowedTo(FieldAccess.Everyone)
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("ids")
            .ResolveAsync(async c =>
            {
                var ids = c.GetArgument<List<string>>("ids");
                if (ids.Count > MaxIds)
                {
                    throw new HelplineException(ErrorCodes.Invalid, $"ids holds at most {MaxIds} global ids, not {ids.Count}.", "ids");
                }

                var found = new object?[ids.Count];
                for (var i = 0; i < ids.Count; i++)
                {
                    try
                    {
                        found[i] = await FindAsync(c, ids[i], $"ids[{i}]");
                    }
                    catch (HelplineException refusal)
                    {
                        c.Errors.Add(new ExecutionError(refusal.Message, refusal) { Path = [.. c.Path, i] });
                    }
                }

                return found;
            });
    }

    private static async Task<object?> FindAsync(IResolveFieldContext c, string id, string argument)
    {
        var (typeName, key) = GlobalIds.Read(id, argument);
        var source = c.RequestServices!.GetServices<INodeSource>().FirstOrDefault(s => s.TypeName == typeName)
            ?? throw new HelplineException(ErrorCodes.Invalid, $"{argument} is not a global id (take it from an object's globalId).", argument);
        try
        {
            return await source.FindAsync(c, key);
        }
        catch (HelplineException refusal) when (refusal.Field is not null && refusal.Field != argument)
        {
            // The global id was the only input: a refusal names it, as the client sent it (ids[3] in nodes).
            throw new HelplineException(refusal.Code, refusal.Message, argument);
        }
    }
}
