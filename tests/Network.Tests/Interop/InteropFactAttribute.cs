namespace BeamSync.Network.Tests.Interop;

/// <summary>
/// A fact that needs node and the pinned @ethereumjs/client installed under .ci/interop (by .ci/run, or
/// `npm ci --prefix .ci/interop`). Outside CI it is skipped with the reason when they are missing; under CI=true it
/// always runs, so a missing install fails loudly instead of passing silently.
/// </summary>
public sealed class InteropFactAttribute : FactAttribute
{
    public InteropFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CI") == "true") return;
        var reason = EthereumJsNode.WhyUnavailable();
        if (reason is not null) Skip = reason + " (install with: npm ci --prefix .ci/interop; under CI=true this test runs and fails instead)";
    }
}
