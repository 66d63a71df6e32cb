using Helpline.Platform.Orleans;

namespace Helpline.Tests.OrleansProviders;

/// <summary>A test grain with one state on the named provider "helpline" and one on the default provider.</summary>
public interface IStoredNotesGrain : IGrainWithStringKey
{
    Task Add(string note);

    Task<List<string>> GetNotes();

    Task<int> GetVisits();

    Task<string?> GetETag();
}

[GenerateSerializer]
public sealed class NotesState
{
    [Id(0)]
    public List<string> Notes { get; set; } = [];
}

[GenerateSerializer]
public sealed class VisitsState
{
    [Id(0)]
    public int Visits { get; set; }
}

public sealed class StoredNotesGrain(
    [PersistentState("notes", HelplineOrleansPostgres.StorageName)] IPersistentState<NotesState> notes,
    [PersistentState("visits")] IPersistentState<VisitsState> visits) : Grain, IStoredNotesGrain
{
    public async Task Add(string note)
    {
        notes.State.Notes.Add(note);
        await notes.WriteStateAsync();
        visits.State.Visits++;
        await visits.WriteStateAsync();
    }

    public Task<List<string>> GetNotes() => Task.FromResult(notes.State.Notes);

    public Task<int> GetVisits() => Task.FromResult(visits.State.Visits);

    public Task<string?> GetETag() => Task.FromResult<string?>(notes.Etag);
}
