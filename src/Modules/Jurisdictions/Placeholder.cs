namespace Helpline.Jurisdictions;

internal static class Placeholder;
