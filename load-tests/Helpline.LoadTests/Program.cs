using Helpline.LoadTests.AccessBenchmark;
using Helpline.LoadTests.AccountabilityBenchmark;
using Helpline.LoadTests.CallBackBenchmark;
using Helpline.LoadTests.FaultBenchmark;
using Helpline.LoadTests.Replay;
using Helpline.LoadTests.SlaBenchmark;
using Helpline.LoadTests.WorkloadBenchmark;

namespace Helpline.LoadTests;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "replay")
        {
            return await ReplayCommand.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "sla-bench")
        {
            return await SlaBenchCommand.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "fault-bench")
        {
            return await FaultBenchCommand.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "access-bench")
        {
            return await AccessBenchCommand.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "workload-bench")
        {
            return await WorkloadBenchCommand.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "callback-bench")
        {
            return await CallBackBenchCommand.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "list-bench")
        {
            return await ListBenchmark.ListBenchCommand.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "desk-bench")
        {
            return await DeskBenchmark.DeskBenchCommand.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "throughput-bench")
        {
            return await ThroughputBenchmark.ThroughputBenchCommand.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "graphql-bench")
        {
            return await GraphQLBenchmark.GraphQLBenchCommand.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "accountability-bench")
        {
            return await AccountabilityBenchCommand.RunAsync(args[1..]);
        }

        await Console.Error.WriteLineAsync(
            "Helpline load tests. Commands:\n  replay <format> <file> [options]   (replay --help)\n  sla-bench [options]                 (sla-bench --help)\n" +
            "  fault-bench [options]               (fault-bench --help)\n  access-bench [options]              (access-bench --help)\n" +
            "  workload-bench [options]            (workload-bench --help)\n  callback-bench [options]            (callback-bench --help)\n" +
            "  accountability-bench [options]      (accountability-bench --help)\n  list-bench [options]                (list-bench --help)\n" +
            "  graphql-bench [options]             (graphql-bench --help)\n  throughput-bench [options]          (throughput-bench --help)");
        return args.Length == 0 || args[0] is "-h" or "--help" ? 0 : 1;
    }
}
