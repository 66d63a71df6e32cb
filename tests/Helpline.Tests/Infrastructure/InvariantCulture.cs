using System.Globalization;
using System.Runtime.CompilerServices;

namespace Helpline.Tests.Infrastructure;

/// <summary>
/// The test process runs with ICU (as the host does, for NFC) and, like the host's Program, in the invariant culture,
/// so that no test's outcome depends on the locale of the machine running it.
/// </summary>
internal static class InvariantCulture
{
    [ModuleInitializer]
    internal static void Pin()
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
    }
}
