using System.Globalization;
using System.Runtime.InteropServices;
using Helpline.LoadTests.Replay.Sources;
using Spectre.Console;

namespace Helpline.LoadTests.Replay;

/// <summary>The parsed command line of <c>replay</c>.</summary>
public sealed record ReplayArguments
{
    public required ReplayFormat Format { get; init; }

    public required string File { get; init; }

    public string Url { get; init; } = ReplayDefaults.Url;

    public string? Report { get; init; }

    public string? Rejects { get; init; }

    public required ReplayOptions Options { get; init; }

    public SourceProfile Profile { get; init; } = SourceProfile.For(ReplayFormat.Boston311);

    /// <summary>Folder for the default rejects file: $HELPLINE_REPLAY_DIR, else the current directory.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Where to find a signing key when no token is given: $HELPLINE_KEYS_DIR, else <c>.helpline/keys</c> found upwards.</summary>
    public string? KeysDirectory { get; init; }

    /// <summary>Neither <c>--token</c> nor $HELPLINE_TOKEN gave a token: one is minted before sending (not for a dry run).</summary>
    public bool MintsToken => Options.Token.Length == 0 && !Options.DryRun;

    /// <summary>Where rejects go: --rejects, else next to --report (its name without extension + .rejects.csv), else the input file's name + .rejects.csv in <see cref="OutputDirectory"/> (else the current directory).</summary>
    public string RejectsPath => Rejects
        ?? (Report is not null
            ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(Report))!, Path.GetFileNameWithoutExtension(Report) + ".rejects.csv")
            : Path.Combine(OutputDirectory is { Length: > 0 } dir ? Path.GetFullPath(dir) : Directory.GetCurrentDirectory(), Path.GetFileNameWithoutExtension(File) + ".rejects.csv"));

    /// <summary>Parses the arguments after <c>replay</c>. Returns null and an error (or null error for --help).</summary>
    public static ReplayArguments? Parse(IReadOnlyList<string> args, Func<string, string?> environment, out string? error, out bool help)
    {
        error = null;
        help = false;
        var positional = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var dryRun = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help" or "help")
            {
                help = true;
                return null;
            }

            if (arg == "--dry-run")
            {
                dryRun = true;
                continue;
            }

            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = arg.IndexOf('=', StringComparison.Ordinal);
                var name = eq > 0 ? arg[2..eq] : arg[2..];
                if (!ValueOptions.Contains(name))
                {
                    error = $"unknown option {arg}";
                    return null;
                }

                string value;
                if (eq > 0)
                {
                    value = arg[(eq + 1)..];
                }
                else if (i + 1 < args.Count)
                {
                    value = args[++i];
                }
                else
                {
                    error = $"option --{name} needs a value";
                    return null;
                }

                values[name] = value;
                continue;
            }

            positional.Add(arg);
        }

        if (positional.Count != 2)
        {
            error = positional.Count < 2 ? "give a format and a file" : $"unexpected argument {positional[2]}";
            return null;
        }

        if (!SourceProfile.TryParseFormat(positional[0], out var format))
        {
            error = $"unknown format '{positional[0]}': use boston311, nyc311 or open311";
            return null;
        }

        var defaults = new ReplayOptions();
        try
        {
            var options = defaults with
            {
                Rate = Number(values, "rate", defaults.Rate),
                Concurrency = (int)Number(values, "concurrency", defaults.Concurrency),
                Batch = (int)Number(values, "batch", defaults.Batch),
                Limit = values.ContainsKey("limit") ? (long)Number(values, "limit", 0) : null,
                Token = values.GetValueOrDefault("token") ?? (environment(ReplayDefaults.TokenVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : string.Empty),
                DryRun = dryRun,
            };
            options.Validate();
            var profile = SourceProfile.For(format);
            profile = profile with
            {
                Code = values.GetValueOrDefault("source") ?? profile.Code,
                Name = values.GetValueOrDefault("source-name") ?? profile.Name,
                TimeZoneId = values.GetValueOrDefault("time-zone") ?? profile.TimeZoneId,
            };
            var url = values.GetValueOrDefault("url") ?? ReplayDefaults.Url;
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                error = $"--url {url} is not an http(s) URL";
                return null;
            }

            return new ReplayArguments
            {
                Format = format,
                File = positional[1],
                Url = url,
                Report = values.GetValueOrDefault("report"),
                Rejects = values.GetValueOrDefault("rejects"),
                OutputDirectory = environment(ReplayDefaults.OutputDirectoryVariable),
                KeysDirectory = environment(ReplayDefaults.KeysDirectoryVariable),
                Options = options,
                Profile = profile,
            };
        }
        catch (ArgumentException ex)
        {
            error = ex.Message.Split(Environment.NewLine)[0].Split(" (Parameter")[0];
            return null;
        }
    }

    private static readonly HashSet<string> ValueOptions =
        ["url", "rate", "concurrency", "batch", "report", "rejects", "limit", "token", "source", "source-name", "time-zone"];

    private static double Number(Dictionary<string, string> values, string name, double fallback)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value) || double.IsInfinity(value)
            || (name != "rate" && value != Math.Floor(value)))
        {
            throw new ArgumentException($"--{name} {text} is not a {(name == "rate" ? "number" : "whole number")}");
        }

        return value;
    }
}

/// <summary>The <c>replay</c> command: arguments, Ctrl-C, progress, the report.</summary>
public static class ReplayCommand
{
    public const int Ok = 0;
    public const int UsageError = 1;
    public const int FatalError = 2;
    public const int SomeFailed = 3;
    public const int Interrupted = 130;

    public const string Usage = """
        Usage: ./helpline replay <format> <file> [options]

        Replays another system's export through a running Helpline (importGrievances mutation), or checks it (--dry-run).
        Formats:
          boston311   Boston 311 CSV (CASE_ENQUIRY_ID, OPEN_DT, TARGET_DT, CLOSED_DT, OnTime_Status, CASE_STATUS, ...)
          nyc311      NYC 311 CSV export (Unique Key, Created Date, Closed Date, Due Date, Agency, Complaint Type, ...)
          open311     Open311 GeoReport v2 requests JSON (source sf311, San Francisco, America/Los_Angeles)

        Options:
          --url URL            service address (default http://127.0.0.1:5076; GraphQL at URL/graphql)
          --token TOKEN        a bearer token with role importer (default: $HELPLINE_TOKEN, else one minted with the
                               newest key in $HELPLINE_KEYS_DIR or .helpline/keys, as ./helpline token mint does)
          --batch N            records per call, 1..200 (default 50)
          --concurrency N      calls in flight at once (default 8)
          --rate N             at most N records per second (default 0: no limit)
          --limit N            read only the first N data rows
          --report FILE        write the report as JSON to FILE (it is always printed as a table)
          --rejects FILE       rejected rows, CSV: row,line,source_id,reason,detail,raw
                               (default: next to --report as <name>.rejects.csv, else <input name>.rejects.csv
                               in $HELPLINE_REPLAY_DIR: .helpline/replay/ under ./helpline, which git ignores)
          --dry-run            read and check the file, count verdicts; send nothing
          --source CODE, --source-name NAME, --time-zone ZONE
                               override the format's source (e.g. another Open311 city)
          -h, --help           this text

        Rows that cannot be imported are skipped, written to the rejects file with their row number (1-based data
        row), file line and reason, and counted by reason; the run never stops on a bad row. Running the same file
        again is safe: records already imported come back ALREADY_PRESENT. Ctrl-C stops reading, finishes the calls
        in flight and prints the partial report; a second Ctrl-C aborts them.
        Exit codes: 0 done (rejects included), 1 bad arguments, 2 stopped by an error (report printed), 3 some calls
        failed (failed > 0: run again to retry them), 130 interrupted.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = ReplayArguments.Parse(args, Environment.GetEnvironmentVariable, out var error, out var help);
        if (help)
        {
            Console.Out.WriteLine(Usage);
            return Ok;
        }

        if (parsed is null)
        {
            await Console.Error.WriteLineAsync($"replay: {error}\n\n{Usage}");
            return UsageError;
        }

        if (parsed.MintsToken)
        {
            var (token, problem) = ImporterToken.Mint(parsed.KeysDirectory, TimeProvider.System);
            if (token is null)
            {
                await Console.Error.WriteLineAsync($"replay: {problem}");
                return FatalError;
            }

            parsed = parsed with { Options = parsed.Options with { Token = token } };
        }

        FileStream file;
        try
        {
            file = new FileStream(parsed.File, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"replay: cannot open {parsed.File}: {ex.Message}");
            return FatalError;
        }

        await using var input = new CountingStream(file);
        IReplaySource source;
        CsvRejectsFile rejects;
        try
        {
            source = ReplaySources.Open(parsed.Format, input, parsed.Profile);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(parsed.RejectsPath))!);
            rejects = new CsvRejectsFile(parsed.RejectsPath);
        }
        catch (Exception ex) when (ex is ReplayInputException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"replay: {ex.Message}");
            return FatalError;
        }

        using var stop = new CancellationTokenSource();
        using var abort = new CancellationTokenSource();
        var stderr = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        void OnSignal()
        {
            if (!stop.IsCancellationRequested)
            {
                stderr.MarkupLine("[yellow]Stopping: no more rows are read; finishing the calls in flight (Ctrl-C again aborts them).[/]");
                stop.Cancel();
            }
            else if (!abort.IsCancellationRequested)
            {
                stderr.MarkupLine("[yellow]Aborting the calls in flight.[/]");
                abort.Cancel();
            }
        }

        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            OnSignal();
        };
        Console.CancelKeyPress += onCancel;
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            OnSignal();
        });

        ReplayReport report;
        using (rejects)
        using (var http = parsed.Options.DryRun ? null : CreateHttpClient(parsed))
        {
            var runner = new ReplayRunner(http, parsed.Options);
            var run = runner.RunAsync(source, rejects, parsed.Format.ToString().ToLowerInvariant(), parsed.File, parsed.RejectsPath, stop.Token, abort.Token);
            await ShowProgressAsync(stderr, run, runner, input);
            report = await run;
        }

        Console.CancelKeyPress -= onCancel;
        ReportPrinter.Print(AnsiConsole.Console, report);
        if (parsed.Report is not null)
        {
            await File.WriteAllTextAsync(parsed.Report, report.ToJson() + "\n");
            AnsiConsole.Console.MarkupLine($"Report: [bold]{Markup.Escape(parsed.Report)}[/]");
        }

        AnsiConsole.Console.MarkupLine($"Rejects: [bold]{Markup.Escape(parsed.RejectsPath)}[/]");
        if (report.FatalError is not null)
        {
            stderr.MarkupLine($"[red]replay stopped: {Markup.Escape(report.FatalError)}[/]");
            return FatalError;
        }

        if (report.Interrupted)
        {
            return Interrupted;
        }

        return report.Failed > 0 ? SomeFailed : Ok;
    }

    private static HttpClient CreateHttpClient(ReplayArguments parsed)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = parsed.Options.Concurrency,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        };
        var url = parsed.Url.EndsWith('/') ? parsed.Url : parsed.Url + "/";
        return new HttpClient(handler) { BaseAddress = new Uri(url), Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>A Spectre.Console progress bar on stderr when it is a terminal; otherwise a plain line every 5 seconds.</summary>
    private static async Task ShowProgressAsync(IAnsiConsole stderr, Task<ReplayReport> run, ReplayRunner runner, CountingStream input)
    {
        var total = Math.Max(input.Length, 1);
        var started = TimeProvider.System.GetTimestamp();
        string Line()
        {
            var p = runner.Progress;
            var seconds = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
            var rate = seconds > 0 ? p.Read / seconds : 0;
            return string.Create(CultureInfo.InvariantCulture,
                $"{p.Read:N0} read, {p.Imported:N0} imported, {p.AlreadyPresent:N0} present, {p.Rejected:N0} rejected, {p.Failed:N0} failed, {rate:N0} rows/s");
        }

        if (stderr.Profile.Capabilities.Interactive && !Console.IsErrorRedirected)
        {
            await stderr.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(Markup.Escape(Line()), autoStart: true, maxValue: total);
                    while (!run.IsCompleted)
                    {
                        task.Value = Math.Min(input.BytesRead, total);
                        task.Description = Markup.Escape(Line());
                        await Task.WhenAny(run, Task.Delay(250));
                    }

                    var whole = run.IsCompletedSuccessfully && run.Result is { Interrupted: false, FatalError: null } && input.BytesRead >= input.Length;
                    task.Value = whole ? total : Math.Min(input.BytesRead, total);
                    task.Description = Markup.Escape(Line());
                    task.StopTask();
                });
            return;
        }

        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(5)));
            if (!run.IsCompleted)
            {
                var percent = 100.0 * Math.Min(input.BytesRead, total) / total;
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"replay: {percent:0.0}% of the file, {Line()}"));
            }
        }
    }
}

/// <summary>A read-only stream that counts the bytes read through it (for the progress bar).</summary>
public sealed class CountingStream(Stream inner) : Stream
{
    private long _read;

    public long BytesRead => Interlocked.Read(ref _read);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(int read)
    {
        Interlocked.Add(ref _read, read);
        return read;
    }
}
