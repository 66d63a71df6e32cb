using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphQLParser.AST;
using Helpline.Platform.Access;

namespace Helpline.Tests.Infrastructure;

/// <summary>
/// The token a test request carries when the test does not choose one. The lifecycle, SLA, durability and cluster
/// tests test behaviour, not access (access has its own tests under Access/), so each request is made by the one
/// who would make it in life, picked from the document's first root field:
/// <list type="bullet">
/// <item>registerGrievance, disposeInformationRequest, reopenGrievance, callerHistory, callerMonth, possibleDuplicates,
/// linkCall: an agent, the subject being the agentId (reopen: actorId) the request names, else <see cref="Agent"/>;
/// allowExtraComplaint: a supervisor (<see cref="Supervisor"/>);</item>
/// <item>resolve, reject, pause, resume, recordInterimReply, forward, recategorise, requestReturn: the officer the
/// officerId (or actorId) argument names, who must hold the grievance; decideReturn: the officerId it names, as a
/// supervisor (the L2 officer deciding for the seat below);</item>
/// <item>grievance: an agent (sees every grievance with the complainant unmasked), or the auditor when the document
/// asks for an officer's workload or alerts, which agents may not see;</item>
/// <item>grievances, grievanceDashboard, grievanceEvents, officer (workload, alerts, mobile), subjectLimit, accessLog, categoryChanges: an auditor
/// (everything, personal data masked);</item>
/// <item>routePreview: an agent (who asks before registering); routingMap, routeChanges: an auditor;</item>
/// <item>SLA, holiday and calendar mutations, limitSubject, revokeTokens, persistDocuments, setRoute, clearRoute, category changes: an administrator;
/// importGrievances: an importer; nextCallBack, recordCallBackOutcome: a call-back agent (<see cref="CallbackAgent"/>);
/// callBackCampaigns, callBack, callBackFigures: an auditor; setCampaignCallingHours: an administrator;
/// penaltyFlags, penaltyFlag, officerRecord, disposalGrades, rankingEvidence: an auditor; gradeDisposal, reviewPenaltyFlag,
/// computeRankings, skipRankings: an administrator; ranking: no token;</item>
/// <item>the rest of the directory (public fields): no token.</item>
/// </list>
/// A document with several root fields is made by the caller of its first, or by the auditor when any of them is
/// the auditor's. An unknown root field throws, so that a new field gets a row here (or the test passes its own token).
/// </summary>
public static class DefaultCallers
{
    public const string Agent = "agent-test";
    public const string Administrator = "admin-test";
    public const string Auditor = "auditor-test";
    public const string Importer = "importer-test";
    public const string CallbackAgent = "callback-agent-test";
    public const string Supervisor = "supervisor-test";

    private static readonly HashSet<string> OfficerMutations = new(StringComparer.Ordinal)
    {
        "resolveGrievance", "rejectGrievance", "pauseGrievance", "resumeGrievance", "recordInterimReply", "forwardGrievance",
        "requestReturn",
    };

    private static readonly HashSet<string> AdministratorMutations = new(StringComparer.Ordinal)
    {
        "setSlaPolicy", "resetSlaPolicy", "saveCalendar", "assignCalendar", "addHolidays", "importHolidays", "removeHoliday",
        "limitSubject", "revokeTokens", "persistDocuments", "setRoute", "clearRoute",
        "addCategory", "renameCategory", "retireCategory", "remapCategory",
        "addOfficer", "postOfficer", "endPosting", "recordLeave", "endLeave", "setOfficePhone",
        "rebalanceProposal", "applyRebalance",
        "setPool", "setOfficerCapacity", "setCampaignCallingHours",
        "gradeDisposal", "reviewPenaltyFlag", "computeRankings", "skipRankings",
    };

    private static readonly HashSet<string> AuditorQueries = new(StringComparer.Ordinal)
    {
        "grievances", "grievanceDashboard", "grievanceEvents", "officer", "subjectLimit", "accessLog", "routingMap", "routeChanges",
        "categoryChanges",
        "vacantPositions", "postings", "leaves",
        "workloadBoard", "teamWorkload",
        "poolChanges",
        "callBackCampaigns", "callBack", "callBackFigures",
        "penaltyFlags", "penaltyFlag", "officerRecord", "disposalGrades", "rankingEvidence",
    };

    private static readonly HashSet<string> PublicQueries = new(StringComparer.Ordinal)
    {
        "me", "categories", "departments", "whoResolves", "responsibleOffices", "jurisdiction", "jurisdictions", "position", "calendarFor", "holidays",
        "slaPolicies", "slaPolicy", "dueDatePreview", "grievanceStatus", "ranking", "__schema", "__type", "__typename",
        "node", "nodes",
    };

    // Minted once per caller: the service then verifies each token's signature once, not on every request.
    private static readonly ConcurrentDictionary<(Role, string), string> Tokens = new();

    /// <summary>The bearer token for the request, or null to send none (public fields, or a document that does not parse).</summary>
    public static string? TokenFor(string query, object? variables)
    {
        List<GraphQLField> fields;
        try
        {
            fields = GraphQLParser.Parser.Parse(query).Definitions.OfType<GraphQLOperationDefinition>().FirstOrDefault()
                ?.SelectionSet.Selections.OfType<GraphQLField>().ToList() ?? [];
        }
        // The parser can fail while composing its own syntax error (IndexOutOfRangeException on some garbage documents;
        // the service's transport knows it too): either way the document does not parse.
        catch (Exception ex) when (ex is GraphQLParser.Exceptions.GraphQLParserException or IndexOutOfRangeException)
        {
            return null; // the service answers the syntax error; no token needed to hear it
        }

        if (fields.Count == 0)
        {
            return null;
        }

        // A query that mixes, say, grievance with grievances or an officer's workload is read by the auditor, who may
        // ask for all of them (complainants masked).
        var field = fields.FirstOrDefault(f => AuditorQueries.Contains(f.Name.StringValue)) ?? fields[0];

        var name = field.Name.StringValue;
        var vars = variables is null ? null : JsonSerializer.SerializeToNode(variables) as JsonObject;
        string? Argument(string argument, string? inside = null) => ArgumentText(field, argument, inside, vars);

        return name switch
        {
            "registerGrievance" => TokenOf(Role.Agent, Argument("input", "agentId") ?? Agent),
            "disposeInformationRequest" => TokenOf(Role.Agent, Argument("agentId") ?? Agent),
            "callerHistory" or "callerMonth" or "possibleDuplicates" or "linkCall" => TokenOf(Role.Agent, Agent),
            "allowExtraComplaint" => TokenOf(Role.Supervisor, Supervisor),
            "routePreview" => TokenOf(Role.Agent, Agent),
            "reopenGrievance" => TokenOf(Role.Agent, Argument("actorId") ?? Agent),
            "recategoriseGrievance" => TokenOf(Role.Officer, Argument("actorId") ?? throw Unnamed(name, "actorId")),
            "decideReturn" => TokenOf(Role.Supervisor, Argument("officerId") ?? throw Unnamed(name, "officerId")),
            _ when OfficerMutations.Contains(name) => TokenOf(Role.Officer, Argument("officerId") ?? throw Unnamed(name, "officerId")),
            "grievance" when AsksForWorkload(query) => TokenOf(Role.Auditor, Auditor),
            "grievance" => TokenOf(Role.Agent, Agent),
            "importGrievances" => TokenOf(Role.Importer, Importer),
            "nextCallBack" or "recordCallBackOutcome" => TokenOf(Role.CallbackAgent, CallbackAgent),
            _ when AdministratorMutations.Contains(name) => TokenOf(Role.Administrator, Administrator),
            _ when AuditorQueries.Contains(name) => TokenOf(Role.Auditor, Auditor),
            _ when PublicQueries.Contains(name) => null,
            _ => throw new InvalidOperationException($"No default caller for root field '{name}': add it to {nameof(DefaultCallers)} or pass a bearer token."),
        };
    }

    // An officer's workload and alerts are not the agent's to see (Officer.workload, Officer.alerts).
    private static bool AsksForWorkload(string query) =>
        query.Contains("workload", StringComparison.Ordinal) || query.Contains("alerts", StringComparison.Ordinal);

    /// <summary>The importer's token (imports: <c>importGrievances</c>).</summary>
    public static string ImporterToken => TokenOf(Role.Importer, Importer);

    /// <summary>A cached token of the role for the subject.</summary>
    public static string TokenOf(Role role, string subject) => Tokens.GetOrAdd((role, subject), k => TestTokens.Mint(k.Item1, k.Item2));

    private static InvalidOperationException Unnamed(string field, string argument) =>
        new($"'{field}' names no {argument}: the default caller is the officer it names; name one or pass a bearer token.");

    /// <summary>A string argument (or a string field of an input object argument), given literally or as a variable.</summary>
    private static string? ArgumentText(GraphQLField field, string argument, string? inside, JsonObject? variables)
    {
        var value = field.Arguments?.Items.FirstOrDefault(a => a.Name.StringValue == argument)?.Value;
        if (inside is not null && value is GraphQLObjectValue obj)
        {
            value = obj.Fields?.FirstOrDefault(f => f.Name.StringValue == inside)?.Value;
            inside = null;
        }

        if (value is GraphQLVariable variable)
        {
            var node = variables?[variable.Name.StringValue];
            if (inside is not null)
            {
                node = node is JsonObject o ? o[inside] : null;
            }

            return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        }

        return value is GraphQLStringValue text ? text.Value.ToString() : null;
    }
}
