using System.Diagnostics;
using System.Text;

namespace Helpline.Tests.Infrastructure;

/// <summary>
/// Runs the npm tools the suite uses (tests/graphql-http-audit, tests/schema-contract) with node. <c>./helpline test</c>
/// installs their pinned packages first; run alone, a test says how to install them instead of skipping.
/// </summary>
public static class NodeTool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The folder of an npm tool under the repository, after checking its packages are installed.</summary>
    /// <param name="relativeFolder">For example <c>tests/schema-contract</c>.</param>
    /// <param name="package">A package its package.json pins, to check it is in node_modules.</param>
    public static string Folder(string relativeFolder, string package)
    {
        var folder = Path.Combine(RepositoryRoot, relativeFolder);
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", package)),
            $"the npm packages of {relativeFolder} are not installed: run ./helpline test (it installs them), or 'npm ci' in {folder}");
        return folder;
    }

    /// <summary>Runs <c>node</c> with the arguments in the folder; returns its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("node", arguments)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Colours would put escape codes in the report a failed test prints.
        start.Environment["NO_COLOR"] = "1";
        start.Environment["FORCE_COLOR"] = "0";
        Process node;
        try
        {
            node = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("node is not installed (the suite needs node 20 and npm; ./helpline test says how to get them)", ex);
        }

        using (node)
        {
            var output = new StringBuilder();
            node.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            node.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            node.BeginOutputReadLine();
            node.BeginErrorReadLine();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(Timeout);
            try
            {
                await node.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                node.Kill(entireProcessTree: true);
                throw new TimeoutException($"node {string.Join(' ', arguments)} did not finish within {Timeout}:\n{output}");
            }

            node.WaitForExit(); // drains the redirected output
            var text = output.ToString();
            TestContext.Current.TestOutputHelper?.WriteLine(text);
            return (node.ExitCode, text);
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Helpline.sln")))
                return directory.FullName;
        }

        throw new InvalidOperationException("Helpline.sln not found above " + AppContext.BaseDirectory);
    }
}
