namespace BeamSync.Network.Tests;

/// <summary>Knobs for the long variants of soak and fuzz tests, read from environment variables.</summary>
internal static class TestEnvironment
{
    /// <summary>The integer in variable <paramref name="name"/>, or <paramref name="fallback"/> (the fast CI default).</summary>
    public static int IntOr(string name, int fallback) => int.TryParse(Environment.GetEnvironmentVariable(name), out var n) ? n : fallback;
}
