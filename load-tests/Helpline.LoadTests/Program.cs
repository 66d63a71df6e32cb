using Helpline.LoadTests.Replay;

namespace Helpline.LoadTests;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "replay")
        {
            return await ReplayCommand.RunAsync(args[1..]);
        }

        await Console.Error.WriteLineAsync("Helpline load tests. Commands:\n  replay <format> <file> [options]   (replay --help)");
        return args.Length == 0 || args[0] is "-h" or "--help" ? 0 : 1;
    }
}
