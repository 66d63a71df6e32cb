using Helpline.Host;

var builder = HelplineHost.CreateBuilder(args);
var app = await HelplineHost.BuildAsync(builder);
await app.RunAsync();
