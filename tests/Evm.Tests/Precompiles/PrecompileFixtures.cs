using System.Text.Json;

namespace BeamSync.Evm.Tests.Precompiles;

/// <summary>
/// Locates and reads go-ethereum's precompile vectors in shared/fixtures/precompiles ($BEAMSYNC_FIXTURES, else
/// ../shared/fixtures from the repository root, found by walking up to BeamSync.sln). Tests that read them
/// carry <c>[FixtureFact("precompiles/...")]</c> or <c>[FixtureTheory("precompiles")]</c>, so they are reported
/// skipped when the fixtures are absent outside CI, and fail under CI=true.
/// </summary>
internal static class PrecompileFixtures
{
    public sealed record Vector(string Input, string? Expected, string Name, long Gas, string? ExpectedError);


    /// <summary>The vectors of one file; throws when it is absent.</summary>
    public static IReadOnlyList<Vector> Load(string fileName)
    {
        string path = BeamSync.Tests.Shared.TestFixtures.PathOf(Path.Combine("precompiles", fileName));
        using FileStream stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<List<Vector>>(stream) ?? throw new InvalidDataException($"{path} is empty");
    }
}
