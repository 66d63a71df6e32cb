using System.Globalization;
using Helpline.Grievances.Desk;
using Helpline.Grievances.Domain.Lifecycle;
using Helpline.Grievances.ReadModel;
using Helpline.Platform.Orleans;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace Helpline.Grievances.Grains;

/// <summary>
/// The grievance grain's storage: a registered grievance's state is written by <see cref="IGrievanceProjection"/> in
/// the transaction that writes its read-model row, timeline and events, so a change is stored and shown by one commit
/// (shared with other grievances' changes) or not at all. Reads, and writes of a state that holds no grievance, go to
/// the ADO.NET grain storage, which reads and writes the same rows in the same format.
/// </summary>
internal sealed class GrievanceStateStorage(
    IServiceProvider services,
    IGrievanceProjection projection,
    RegistrationChecks checks,
    Serializer serializer,
    IOptions<ClusterOptions> cluster) : IGrainStorage
{
    /// <summary>The storage name the grievance grain's persistent state names.</summary>
    public const string Name = "grievances";

    // The ADO.NET storage's own serializer, so that it reads back exactly what is written here.
    private readonly OrleansGrainStorageSerializer _serializer = new(serializer);

    private IGrainStorage? _rows;

    // Resolved on first use: every grain storage is created while the silo starts, and this one must not depend on the order.
    private IGrainStorage Rows => _rows ??= services.GetRequiredKeyedService<IGrainStorage>(HelplineOrleansPostgres.StorageName);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Rows.ReadStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Rows.ClearStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (stateName != GrievanceProjection.StateName || grainState.State is not GrievanceState state || !GrievanceLifecycle.IsRegistered(state))
        {
            await Rows.WriteStateAsync(stateName, grainId, grainState);
            return;
        }

        var expected = string.IsNullOrEmpty(grainState.ETag) ? (int?)null : int.Parse(grainState.ETag, CultureInfo.InvariantCulture);
        var limit = expected is null ? checks.For(grainId) : null;
        var write = new GrievanceStateWrite(cluster.Value.ServiceId, grainId, _serializer.Serialize(state).ToArray(), expected, limit);
        try
        {
            var version = await projection.WriteWithStateAsync(write, GrievanceView.Of(state), CancellationToken.None);
            grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
        catch (PostgresException ex) when (ProjectedStateWrite.IsVersionConflict(ex))
        {
            throw new InconsistentStateException(ex.MessageText, "unknown", grainState.ETag ?? "none", ex);
        }
        catch (ProjectionRefusedException ex) when (limit is not null && ComplaintLimitCheck.Of(ex.InnerException) is { } refusal)
        {
            // The complaint's own refusal, with nothing written (the state keeps no version): the grain hears of it
            // through its check.
            checks.Refuse(grainId, refusal);
        }
    }
}
