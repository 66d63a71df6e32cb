using Helpline.Host;

try
{
    var builder = HelplineHost.CreateBuilder(args);
    var app = await HelplineHost.BuildAsync(builder);
    await app.RunAsync();
}
catch (InvalidOperationException ex) when (ex.InnerException is System.Net.Sockets.SocketException || ex.Message.StartsWith("HELPLINE_DB", StringComparison.Ordinal))
{
    // A start refused for a reason the operator can fix: say it plainly, without a stack trace.
    await Console.Error.WriteLineAsync("helpline: " + ex.Message);
    return 1;
}

return 0;
