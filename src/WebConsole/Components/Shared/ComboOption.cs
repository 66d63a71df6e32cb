namespace Helpline.WebConsole.Components.Shared;

/// <summary>A suggestion of a <see cref="Combobox"/>: the value picked, the text shown and read, and a detail that tells namesakes apart.</summary>
public sealed record ComboOption(string Value, string Label, string? Detail);
