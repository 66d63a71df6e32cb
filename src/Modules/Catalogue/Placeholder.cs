namespace Helpline.Catalogue;

internal static class Placeholder;
