namespace Helpline.WebConsole.Components.Pages.Public;

// What the public page reads from the API (schema.graphql): only the fields it selects.

/// <summary>A department's names.</summary>
public sealed record DepartmentName(string Name, string? NameHindi);

/// <summary>A place's name.</summary>
public sealed record PlaceName(string Id, string Name);

/// <summary>Who acts for an office now (DirectoryHolder).</summary>
public sealed record Holder(string Name, bool InCharge);

/// <summary>An office as the public directory shows it (DirectoryOffice).</summary>
public sealed record Office(string Title, string? TitleHindi, string? OfficePhone, PlaceName Place, Holder? Holder);

/// <summary>The time a level has (DirectoryAllowance).</summary>
public sealed record Allowance(string Text, string TextHindi);

/// <summary>One level of the chain (DirectoryLevel).</summary>
public sealed record Level(int Number, Office Office, Allowance TimeAllowed);

/// <summary>Who resolves a category in a place (WhoResolves).</summary>
public sealed record WhoResolvesAnswer(DepartmentName Department, PlaceName Place, Office Office, IReadOnlyList<Level> Levels);

/// <summary>Where a grievance stands, as the public may see it (PublicGrievanceStatus).</summary>
public sealed record PublicStatus(
    string ReferenceNumber, string Status, string Kind, string Category, string Department, string Office, int Level,
    DateTimeOffset RegisteredAt, DateTimeOffset? DueAt, DateTimeOffset? ClosedAt, DateTimeOffset LastChangedAt);
