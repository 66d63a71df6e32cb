namespace Helpline.GraphQL;

internal static class Placeholder;
