namespace Helpline.Officers;

internal static class Placeholder;
