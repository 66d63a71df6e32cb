using GraphQL;
using GraphQL.Types;
using Helpline.Platform.Access;

namespace Helpline.Grievances.GraphQL;

internal sealed class ImportGrievanceInputGraphType : InputObjectGraphType
{
    private const string TimeRule =
        "ISO 8601: with an offset (Z, +01:00) it is that instant; without one it is local time in timeZone, an hour that "
        + "occurs twice read as its earlier instant and an hour skipped by the clocks going forward read with the offset before the change.";

    public ImportGrievanceInputGraphType()
    {
        Name = "ImportGrievanceInput";
        Description = "One record of another system's export. Times are ISO 8601 text, local to timeZone unless they carry an offset; every instant returned is UTC.";
        Field<NonNullGraphType<StringGraphType>>("source").Description("Source system code, e.g. boston311.");
        Field<NonNullGraphType<StringGraphType>>("sourceName").Description("Name of the source's jurisdiction root, e.g. Boston.");
        Field<NonNullGraphType<StringGraphType>>("timeZone").Description("IANA zone the source keeps local times in.");
        Field<NonNullGraphType<StringGraphType>>("sourceId").Description("The source's case id; importing it again creates nothing.");
        Field<GrievanceKindGraphType>("kind").Description("Default COMPLAINT.");
        Field<NonNullGraphType<StringGraphType>>("department");
        Field<NonNullGraphType<StringGraphType>>("category").Description("The source's case type.");
        Field<StringGraphType>("area").Description("Neighbourhood or borough; null for the whole source.");
        Field<NonNullGraphType<StringGraphType>>("description");
        Field<NonNullGraphType<StringGraphType>>("registeredAt").Description(TimeRule);
        Field<StringGraphType>("dueAt").Description("The source's due date; null means no SLA. " + TimeRule);
        Field<StringGraphType>("closedAt").Description("Null while open. " + TimeRule);
        Field<StringGraphType>("closure").Description("Closure note.");
    }
}

internal sealed class ImportOutcomeGraphType : EnumerationGraphType<ImportOutcome>
{
    public ImportOutcomeGraphType() => Name = "ImportOutcome";
}

internal sealed class ImportResultGraphType : ObjectGraphType<ImportRecordResult>
{
    public ImportResultGraphType()
    {
        Name = "ImportResult";
        Field(x => x.SourceId);
        Field(x => x.Outcome, type: typeof(NonNullGraphType<ImportOutcomeGraphType>));
        Field<StringGraphType>("referenceNumber").Resolve(c => c.Source.Grievance?.ReferenceNumber);
        Field<GrievanceStatusGraphType>("status").Resolve(c => c.Source.Grievance?.Status);
        Field<BooleanGraphType>("breached").Resolve(c => c.Source.Grievance?.Breached);
        Field<GrievanceGraphType>("grievance").Resolve(c => c.Source.Grievance);
        Field(x => x.ErrorCode, nullable: true);
        Field(x => x.ErrorField, nullable: true);
        Field(x => x.ErrorMessage, nullable: true);
    }
}

internal static class ImportMutation
{
    public static void Add(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ImportResultGraphType>>>>("importGrievances")
            .AllowedTo(Role.Importer)
            .Description("Imports 1..200 historical records from another grievance system (importing role only). Results are in input order; each record is imported, already present, or rejected on its own.")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<ImportGrievanceInputGraphType>>>>("records")
            .ResolveAsync(async c =>
            {
                var importer = Caller.Of(c).Subject; // the field is the importer role's only
                var raw = c.GetArgument<List<object?>>("records");
                var records = raw.Cast<Dictionary<string, object?>>().Select(i => new ImportRecord(
                    (string)i["source"]!,
                    (string)i["sourceName"]!,
                    (string)i["timeZone"]!,
                    (string)i["sourceId"]!,
                    i.GetValueOrDefault("kind") as GrievanceKind? ?? GrievanceKind.Complaint,
                    (string)i["department"]!,
                    (string)i["category"]!,
                    i.GetValueOrDefault("area") as string,
                    (string)i["description"]!,
                    (string)i["registeredAt"]!,
                    i.GetValueOrDefault("dueAt") as string,
                    i.GetValueOrDefault("closedAt") as string,
                    i.GetValueOrDefault("closure") as string)).ToList();
                return await GrievancesGraphQL.Service(c).ImportAsync(records, importer, c.CancellationToken);
            });
}
