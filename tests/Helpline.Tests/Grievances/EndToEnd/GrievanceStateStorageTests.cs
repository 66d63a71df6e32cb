using Helpline.Grievances.Grains;
using Helpline.Tests.Infrastructure;
using Orleans.Storage;

namespace Helpline.Tests.Grievances.EndToEnd;

/// <summary>
/// Issue 17: a grievance's state is written in the transaction of its read model. The ADO.NET storage reads back what
/// it wrote; a write from a stale version is refused as Orleans' version conflict and commits nothing, neither the
/// state nor the read-model row nor an event; a first write where a state is stored is refused the same way.
/// </summary>
public sealed class GrievanceStateStorageTests : HostedTest
{
    [Fact]
    public async Task A_write_from_a_stale_version_is_a_version_conflict_and_commits_nothing()
    {
        var category = (await Host.GraphQLAsync("{ categories(departmentId: \"revenue\") { id } }")).Get("categories").AsArray()[0]!["id"]!.GetValue<string>();
        var registered = await Host.GraphQLAsync(Complaints.Register, Complaints.Input("storage-1", "district:162", category));
        var reference = registered.Get("registerGrievance.referenceNumber").GetValue<string>();
        var grainId = GrainId.Create("grievance", "g:storage-1");
        var storage = Host.Services.GetRequiredKeyedService<IGrainStorage>(GrievanceStateStorage.Name);

        // Read back through the ADO.NET storage: the state the grain wrote with its read model, at version 1.
        var stored = new GrainState<GrievanceState>();
        await storage.ReadStateAsync("grievance", grainId, stored);
        Assert.NotNull(stored.State);
        Assert.Equal(("1", reference), (stored.ETag, stored.State.ReferenceNumber));

        // Written once from version 1 (as another activation would), then again from version 1: refused, nothing kept.
        stored.State.Request = stored.State.Request! with { Description = "First writer" };
        await storage.WriteStateAsync("grievance", grainId, stored);
        Assert.Equal("2", stored.ETag);
        var events = await Db.ScalarAsync("select count(*) from events.event_log");

        var stale = new GrainState<GrievanceState>(stored.State, "1") { RecordExists = true };
        stored.State.Request = stored.State.Request! with { Description = "Stale writer" };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("grievance", grainId, stale));
        var fresh = new GrainState<GrievanceState>(stored.State, null);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("grievance", grainId, fresh));

        var after = new GrainState<GrievanceState>();
        await storage.ReadStateAsync("grievance", grainId, after);
        Assert.Equal(("2", "First writer"), (after.ETag, after.State!.Request!.Description));
        Assert.Equal(2, await Db.ScalarAsync($"select version from grievances.grievance where reference_number = '{reference}'"));
        Assert.Equal(events, await Db.ScalarAsync("select count(*) from events.event_log"));
    }
}
