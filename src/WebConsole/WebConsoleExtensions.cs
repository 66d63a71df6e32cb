using System.Globalization;
using Helpline.Platform.Database;
using Helpline.WebConsole.Api;
using Helpline.WebConsole.Components;
using Helpline.WebConsole.KeyRing;
using Helpline.WebConsole.Places;
using Helpline.WebConsole.SignIn;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Helpline.WebConsole;

/// <summary>Adds the web console (Blazor, server interactivity) to the host and serves it at <c>/</c>.</summary>
public static class WebConsoleExtensions
{
    /// <summary>The console's languages: English first (the default), then Hindi.</summary>
    public static readonly IReadOnlyList<CultureInfo> Cultures = [new("en-IN"), new("hi-IN")];

    /// <summary>Registers the console's services: pages, sign-in cookie, shared key ring, languages, API client.</summary>
    public static IServiceCollection AddHelplineWebConsole(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<WebConsoleOptions>(configuration.GetSection(WebConsoleOptions.Section));
        services.AddSingleton<IModuleSchema, ConsoleSchema>();
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddAuthentication(ConsoleClaims.Scheme).AddCookie(ConsoleClaims.Scheme, o =>
        {
            o.LoginPath = "/signin";
            o.AccessDeniedPath = "/signin";
            o.Cookie.Name = "helpline.console";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;

            // The cookie lives exactly as long as the token inside it; signing in again gets a new token.
            o.SlidingExpiration = false;
        });
        services.AddAuthorization();
        services.AddDataProtection().SetApplicationName("helpline");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new PostgresKeyRing(sp.GetRequiredService<NpgsqlDataSource>())));
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.AddHttpClient(ConsoleApi.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<ApiAddress>();
        services.AddScoped<ConsoleApi>();
        services.AddScoped<ConsoleSignIn>();
        services.TryAddSingleton(TimeProvider.System);

        // The place boxes' index of jurisdictions: one copy per silo, read as the public (no user's token).
        services.AddSingleton<PlaceDirectory>();
        return services;
    }

    /// <summary>Maps the console's pages, static assets, language switch and sign-out.</summary>
    public static WebApplication MapHelplineWebConsole(this WebApplication app)
    {
        // The API's messages stay in the invariant culture: only the console's pages follow the chosen language.
        app.UseWhen(
            c => !c.Request.Path.StartsWithSegments("/graphql") && !c.Request.Path.StartsWithSegments("/health"),
            b => b.UseRequestLocalization(new RequestLocalizationOptions
            {
                DefaultRequestCulture = new RequestCulture(Cultures[0]),
                SupportedCultures = [.. Cultures],
                SupportedUICultures = [.. Cultures],
                RequestCultureProviders = [new CookieRequestCultureProvider()],
            }));
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

        app.MapGet("/culture", (HttpContext http, string? name, string? returnUrl) =>
        {
            var culture = Cultures.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)) ?? Cultures[0];
            http.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), SameSite = SameSiteMode.Lax, HttpOnly = true, IsEssential = true });
            return Results.LocalRedirect(LocalPath(returnUrl));
        });
        app.MapPost("/signout", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.BadRequest("Sign out from the console's own button: the form's antiforgery token is missing or stale.");
            }

            await http.SignOutAsync(ConsoleClaims.Scheme);
            return Results.LocalRedirect("/signin");
        });
        return app;
    }

    /// <summary>A path on this site to return to; anything else (another site, a malformed value) returns home.</summary>
    public static string LocalPath(string? returnUrl) =>
        returnUrl is { Length: > 0 } && returnUrl[0] == '/' && (returnUrl.Length == 1 || (returnUrl[1] != '/' && returnUrl[1] != '\\'))
            && !returnUrl.Any(char.IsControl) ? returnUrl : "/";
}
