namespace Helpline.Platform;

internal static class Placeholder;
