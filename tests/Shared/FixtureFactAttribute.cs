namespace BeamSync.Tests.Shared;

/// <summary>
/// A fact that needs the shared conformance fixtures at the given paths (relative to the fixtures folder). When one
/// is absent outside CI the test is reported as skipped with the missing path; under CI=true it always runs, and
/// <see cref="TestFixtures.PathOf"/> then fails it. Never a silent pass.
/// </summary>
public sealed class FixtureFactAttribute : FactAttribute
{
    public FixtureFactAttribute(params string[] fixtures) => Skip = FixtureRequirement.SkipReason(fixtures);
}

/// <summary>The theory form of <see cref="FixtureFactAttribute"/>: every row skips or runs together.</summary>
public sealed class FixtureTheoryAttribute : TheoryAttribute
{
    public FixtureTheoryAttribute(params string[] fixtures) => Skip = FixtureRequirement.SkipReason(fixtures);
}

internal static class FixtureRequirement
{
    /// <summary>Null when every fixture is present or CI=true (the test then runs and fails on a missing one).</summary>
    public static string? SkipReason(string[] fixtures)
    {
        if (TestFixtures.IsCi) return null;
        var missing = fixtures.Where(f => !TestFixtures.TryLocate(f, out _)).ToList();
        return missing.Count == 0 ? null
            : $"fixture {string.Join(", ", missing)} not found under $BEAMSYNC_FIXTURES or ../shared/fixtures (under CI=true this test fails instead)";
    }
}
