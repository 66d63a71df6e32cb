namespace Helpline.WebConsole.Components.Pages.Public;

/// <summary>One choice of a <see cref="Combobox"/>: its value, the text shown and read, and a detail that tells namesakes apart.</summary>
public sealed record ComboOption(string Id, string Text, string? Detail);
