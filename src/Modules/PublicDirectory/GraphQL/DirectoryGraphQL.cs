using GraphQL;
using GraphQL.Types;
using Helpline.Platform.Access;
using Helpline.Platform.Modules;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.PublicDirectory.GraphQL;

/// <summary>The Directory module's root fields: <c>whoResolves</c> and <c>responsibleOffices</c>, open to everyone.</summary>
internal sealed class DirectoryGraphQL : GraphQLPart
{
    public override void AddQueryFields(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<WhoResolvesGraphType>>("whoResolves")
            .Description("Which office resolves a category of grievance in a place, who acts for it now, the level above, and the time each level has. Open to everyone, no sign-in.")
            .AllowedTo(FieldAccess.Everyone)
            .Argument<NonNullGraphType<StringGraphType>>("categoryId")
            .Argument<NonNullGraphType<StringGraphType>>("jurisdictionId", "The place the matter lies in, e.g. tehsil:766.")
            .Resolve(c => Directory(c).WhoResolves(c.GetArgument<string>("categoryId"), c.GetArgument<string>("jurisdictionId")));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ResponsibleOfficeGraphType>>>>("responsibleOffices")
            .Description("For a place, every department's responsible office (its nearest seat at or above the place), ordered by department name. Open to everyone, no sign-in.")
            .AllowedTo(FieldAccess.Everyone)
            .Argument<NonNullGraphType<StringGraphType>>("jurisdictionId")
            .Resolve(c => Directory(c).ResponsibleOffices(c.GetArgument<string>("jurisdictionId")));
    }

    private static DirectoryService Directory(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<DirectoryService>();
}
