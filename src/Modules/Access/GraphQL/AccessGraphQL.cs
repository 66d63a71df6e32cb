using GraphQL;
using GraphQL.Types;
using Helpline.Access.Documents;
using Helpline.Access.Grants;
using Helpline.Access.Log;
using Helpline.Catalogue;
using Helpline.Jurisdictions;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;
using Helpline.Platform.Modules;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Access.GraphQL;

/// <summary>The GraphQL enum <c>Role</c>.</summary>
public sealed class RoleGraphType : EnumerationGraphType<Role>
{
    /// <summary>Creates the enum.</summary>
    public RoleGraphType() => Name = "Role";
}

internal sealed class MeGraphType : ObjectGraphType<Caller>
{
    public MeGraphType()
    {
        Name = "Me";
        Description = "Who this request is made by, as its token says; the public without one.";
        Field(x => x.Subject).Description("The token's subject; empty for the public.");
        Field(x => x.Role, type: typeof(NonNullGraphType<RoleGraphType>));
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("departmentIds").Description("Departments the caller is limited to; null for no limit.")
            .Resolve(c => c.Source.Scope.Departments?.Order(StringComparer.Ordinal));
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("jurisdictionIds").Description("Jurisdictions (with everything below each) the caller is limited to; null for no limit.")
            .Resolve(c => c.Source.Scope.Jurisdictions?.Order(StringComparer.Ordinal));
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("teamPositionIds").Description("A supervisor's seats: their own and those below it to the token's depth; null for other roles.")
            .Resolve(c => c.Source.Scope.Positions?.Order(StringComparer.Ordinal));
    }
}

internal sealed class SubjectLimitGraphType : ObjectGraphType<SubjectLimit>
{
    public SubjectLimitGraphType()
    {
        Name = "SubjectLimit";
        Description = "A limit an administrator put on a subject's tokens after they were issued; it only ever narrows them.";
        Field(x => x.Subject);
        Field(x => x.DepartmentIds, nullable: true).Description("Departments the subject is limited to; null for no such limit.");
        Field(x => x.JurisdictionIds, nullable: true).Description("Jurisdictions the subject is limited to; null for no such limit.");
        Field(x => x.TokensRevokedBefore, nullable: true).Description("Tokens issued before this instant are refused (TOKEN_REVOKED).");
        Field(x => x.PersistedDocumentsOnly).Description("Whether the subject may send persisted documents only (documentId); free text is refused (PERSISTED_DOCUMENTS_ONLY).");
        Field(x => x.ChangedAt);
        Field(x => x.ChangedBy);
    }
}

internal sealed class PersonalDataReadGraphType : ObjectGraphType<PersonalDataReadEntry>
{
    public PersonalDataReadGraphType()
    {
        Name = "PersonalDataRead";
        Description = "One unmasked personal-data field of one grievance shown to someone.";
        Field(x => x.Id);
        Field(x => x.At).Description("When (UTC).");
        Field(x => x.Subject).Description("Who: the token's subject.");
        Field(x => x.Role).Description("Their role, as in tokens (agent, officer, supervisor).");
        Field(x => x.TokenId, nullable: true);
        Field(x => x.ReferenceNumber);
        Field(x => x.Field).Description("complainant.name or complainant.mobile.");
        Field(x => x.Operation, nullable: true).Description("The GraphQL operation's root fields.");
    }
}

internal sealed class PersonalDataReadPageGraphType : ObjectGraphType<PersonalDataReadPage>
{
    public PersonalDataReadPageGraphType()
    {
        Name = "PersonalDataReadPage";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PersonalDataReadGraphType>>>>("nodes").Resolve(c => c.Source.Nodes);
        Field(x => x.HasNextPage);
        Field(x => x.EndCursor, nullable: true).Description("Pass as 'after' for the next page.");
    }
}

/// <summary>The Access module's root fields: who am I, the access log, and limits on subjects.</summary>
internal sealed class AccessGraphQL : GraphQLPart
{
    public override void AddQueryFields(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<MeGraphType>>("me")
            .Description("Who this request is made by and what they may reach.")
            .AllowedTo(FieldAccess.Everyone)
            .Resolve(Caller.Of);

        query.Field<NonNullGraphType<PersonalDataReadPageGraphType>>("accessLog")
            .Description("Every unmasked read of a complainant's name or mobile, oldest first (auditors without scope limits).")
            .AllowedTo(Role.Auditor)
            .Argument<StringGraphType>("referenceNumber")
            .Argument<StringGraphType>("subject")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50)
            .MaxPage(500)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c =>
            {
                RequireUnlimited(c, "the access log");
                var reference = c.GetArgument<string?>("referenceNumber")?.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
                return await c.RequestServices!.GetRequiredService<PersonalDataLog>()
                    .ReadAsync(reference, c.GetArgument<string?>("subject"), c.GetArgument("first", 50), c.GetArgument<string?>("after"), c.CancellationToken);
            });

        query.Field<SubjectLimitGraphType>("subjectLimit")
            .Description("The limit set on a subject's tokens; null when none.")
            .AllowedTo(Role.Administrator, Role.Auditor)
            .Argument<NonNullGraphType<StringGraphType>>("subject")
            .Resolve(c =>
            {
                RequireUnlimited(c, "limits on subjects");
                return c.RequestServices!.GetRequiredService<SubjectLimits>().Find(c.GetArgument<string>("subject"));
            });
    }

    public override void AddMutationFields(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<SubjectLimitGraphType>>("limitSubject")
            .Description("Sets, from now on every silo, the limit on what a subject's tokens reach: their scope becomes what the token says within these lists (null: no limit of that kind). It replaces the subject's previous limit, and never reaches beyond what a token itself says.")
            .AllowedTo(Role.Administrator)
            .Argument<NonNullGraphType<StringGraphType>>("subject")
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("departmentIds")
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("jurisdictionIds")
            .Argument<BooleanGraphType>("persistedDocumentsOnly", "Whether the subject may send persisted documents only (documentId); null keeps what it was.")
            .ResolveAsync(async c =>
            {
                var caller = RequireUnlimited(c, "limits on subjects");
                var subject = Subject(c);
                var departments = c.GetArgument<List<string>?>("departmentIds");
                var places = c.GetArgument<List<string>?>("jurisdictionIds");
                var catalogue = c.RequestServices!.GetRequiredService<ICatalogue>();
                var directory = c.RequestServices!.GetRequiredService<IJurisdictionDirectory>();
                for (var i = 0; i < (departments?.Count ?? 0); i++)
                {
                    if (catalogue.FindDepartment(departments![i]) is null)
                        throw new HelplineException(ErrorCodes.Invalid, $"Unknown department '{departments[i]}'.", $"departmentIds[{i}]");
                }

                for (var i = 0; i < (places?.Count ?? 0); i++)
                {
                    if (directory.Find(places![i]) is null)
                        throw new HelplineException(ErrorCodes.Invalid, $"Unknown jurisdiction '{places[i]}'.", $"jurisdictionIds[{i}]");
                }

                return await Store(c).LimitAsync(subject, departments, places, c.GetArgument<bool?>("persistedDocumentsOnly"), caller.Subject, Clock(c).GetUtcNow(), c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("persistDocuments")
            .Description(
                "Registers GraphQL documents for a subject, which then sends them by id alone ('documentId' in the request, instead of 'query'); " +
                "returns their ids (sha256:<hex of the document's UTF-8 text>), in order. Registering a document again changes nothing. " +
                "A partner registers its own (at most 1,000 in all; not once it is set to persisted documents only); an administrator registers for any subject (a partner set to persisted documents only gets its documents this way).")
            .AllowedTo(Role.Partner, Role.Administrator)
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("documents", $"1..{PersistedDocuments.MaxPerCall} GraphQL documents, each as it will run.")
            .Argument<StringGraphType>("subject", "Whose documents (administrators); a partner's are its own.")
            .ResolveAsync(async c =>
            {
                var caller = Caller.Of(c);
                var subject = caller.Role == Role.Administrator && c.GetArgument<string?>("subject") is not null
                    ? Subject(c)
                    : caller.Actor(c.GetArgument<string?>("subject"), "subject");
                // A subject locked to persisted documents would otherwise run anything by registering it first.
                if (caller.Role != Role.Administrator && c.RequestServices!.GetRequiredService<IPersistedDocuments>().RequiresPersistedDocuments(caller))
                    throw new HelplineException(AccessErrorCodes.PersistedDocumentsOnly, $"'{caller.Subject}' may send persisted documents only; an administrator registers its documents.", "documents");
                var documents = c.GetArgument<List<string>>("documents");
                if (documents.Count is 0 or > PersistedDocuments.MaxPerCall)
                    throw new HelplineException(ErrorCodes.Invalid, $"'documents' holds 1 to {PersistedDocuments.MaxPerCall} documents, not {documents.Count}.", "documents");
                for (var i = 0; i < documents.Count; i++)
                {
                    if (documents[i].Length > MaxDocumentLength)
                        throw new HelplineException(ErrorCodes.TooLong, $"A document is at most {MaxDocumentLength} characters, not {documents[i].Length}.", $"documents[{i}]");
                    try
                    {
                        GraphQLParser.Parser.Parse(documents[i]);
                    }
                    catch (GraphQLParser.Exceptions.GraphQLParserException ex)
                    {
                        throw new HelplineException(ErrorCodes.Invalid, $"The document is not valid GraphQL syntax: {ex.Message}", $"documents[{i}]");
                    }
                }

                return await c.RequestServices!.GetRequiredService<PersistedDocuments>()
                    .RegisterAsync(subject, documents, caller.Subject, Clock(c).GetUtcNow(), c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<SubjectLimitGraphType>>("revokeTokens")
            .Description("Refuses, from now on every silo, every token of the subject issued up to now (TOKEN_REVOKED); issue times count in whole seconds, so tokens minted from the next whole second work.")
            .AllowedTo(Role.Administrator)
            .Argument<NonNullGraphType<StringGraphType>>("subject")
            .ResolveAsync(async c =>
            {
                var caller = RequireUnlimited(c, "revoking tokens");
                return await Store(c).RevokeAsync(Subject(c), caller.Subject, Clock(c).GetUtcNow(), c.CancellationToken);
            });
    }

    /// <summary>The transport's longest document (its <c>MaxQueryLength</c> default): a longer one could never run.</summary>
    private const int MaxDocumentLength = 32 * 1024;

    private static string Subject(IResolveFieldContext c)
    {
        var subject = c.GetArgument<string>("subject");
        return string.IsNullOrWhiteSpace(subject) || subject.Length > 200
            ? throw new HelplineException(ErrorCodes.Invalid, "'subject' must be 1..200 characters.", "subject")
            : subject;
    }

    private static Caller RequireUnlimited(IResolveFieldContext c, string what)
    {
        var caller = Caller.Of(c);
        caller.RequireUnlimited(what);
        return caller;
    }

    private static SubjectLimitStore Store(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<SubjectLimitStore>();

    private static TimeProvider Clock(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<TimeProvider>();
}
