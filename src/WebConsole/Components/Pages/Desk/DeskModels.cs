using Helpline.WebConsole.Components.Shared;

namespace Helpline.WebConsole.Components.Pages.DeskParts;

/// <summary>A category as the desk reads it.</summary>
public sealed record DeskCategory(string Id, string Name, string? NameHindi, DeskDepartment? Department);

/// <summary>A department's names.</summary>
public sealed record DeskDepartment(string Name, string? NameHindi);

/// <summary>A place's name.</summary>
public sealed record DeskPlace(string Name);

/// <summary>A grievance as the caller's history and the duplicates list show it.</summary>
public sealed record DeskGrievance(
    string ReferenceNumber, string Status, string? Kind, DateTimeOffset? DueAt, bool Overdue, DateTimeOffset? RegisteredAt,
    DeskCategory? Category, DeskPlace? Jurisdiction);

/// <summary>A page of the caller's history.</summary>
public sealed record DeskHistory(long TotalCount, IReadOnlyList<DeskGrievance> Nodes);

/// <summary>The caller's complaints this month against the monthly limit (<c>callerMonth</c>).</summary>
public sealed record DeskMonth(string Month, int Complaints, int Limit, int ExtraAllowed, int Remaining, bool OverLimit);

/// <summary>A possible duplicate and why it is one (<c>SAME_CALLER</c>, <c>SAME_PLACE_AND_CATEGORY</c>).</summary>
public sealed record DeskDuplicate(string Reason, DeskGrievance Grievance);

/// <summary>What a registration answered.</summary>
public sealed record DeskRegistered(string ReferenceNumber, string Kind, string Status, DateTimeOffset? DueAt, DeskOfficer? Officer);

/// <summary>The officer a grievance went to.</summary>
public sealed record DeskOfficer(string Id, string Name, DeskPosition? Position);

/// <summary>An officer's seat.</summary>
public sealed record DeskPosition(string Title);

/// <summary>A grievance's status after an action.</summary>
public sealed record DeskStatus(string ReferenceNumber, string Status);

/// <summary>
/// The call being registered, kept in the browser tab's session storage (encrypted with the service's key ring) from
/// the moment Register is pressed, and while it is typed, until it is registered or cleared: if the page's connection
/// is lost (a silo stopped mid-call), the reloaded desk shows the call again with the same client request id, so
/// pressing Register once more returns the grievance that may already be stored instead of making a second.
/// </summary>
public sealed record DeskDraft(
    string RequestId, string? Mobile, string? Name, string Kind, ComboOption? Category, ComboOption? Place, string? Description);

