namespace Helpline.Grievances;

internal static class Placeholder;
