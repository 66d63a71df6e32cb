using System.Runtime;

namespace Helpline.LoadTests.SlaBenchmark;

/// <summary>Memory of this process after a full, compacting, blocking GC.</summary>
/// <param name="RssBytes">Resident set size (/proc/self/status VmRSS).</param>
/// <param name="GcHeapBytes">Bytes in use on the managed heap after the collection (GC.GetTotalMemory after the full GC).</param>
/// <param name="GcCommittedBytes">Memory the GC has committed (GCMemoryInfo.TotalCommittedBytes).</param>
public sealed record MemorySample(long RssBytes, long GcHeapBytes, long GcCommittedBytes)
{
    /// <summary>Collects fully (twice, around finalizers, compacting the large object heap too) and samples.</summary>
    public static MemorySample Take()
    {
        for (var i = 0; i < 2; i++)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var heap = GC.GetTotalMemory(forceFullCollection: false);
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        return new MemorySample(ReadRss("/proc/self/status"), heap, info.TotalCommittedBytes);
    }

    /// <summary>VmRSS of a /proc/&lt;pid&gt;/status file, in bytes; -1 where there is no /proc.</summary>
    public static long ReadRss(string statusPath)
    {
        if (!File.Exists(statusPath))
        {
            return -1;
        }

        foreach (var line in File.ReadLines(statusPath))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = line["VmRSS:".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                return long.Parse(kb, System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return -1;
    }

    /// <summary>Total memory of the machine (MemTotal of /proc/meminfo) in bytes; -1 where there is no /proc.</summary>
    public static long MachineMemory()
    {
        if (!File.Exists("/proc/meminfo"))
        {
            return -1;
        }

        var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return line is null ? -1 : long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
