using System.Text.Json;

namespace BeamSync.Evm.Tests.Precompiles;

/// <summary>
/// Locates and reads go-ethereum's precompile vectors in shared/fixtures/precompiles ($BEAMSYNC_FIXTURES, else
/// ../shared/fixtures from the repository root, found by walking up to BeamSync.sln). Under CI=true a missing
/// folder is an error; elsewhere tests that need it return without checking anything.
/// </summary>
internal static class PrecompileFixtures
{
    public sealed record Vector(string Input, string? Expected, string Name, long Gas, string? ExpectedError);


    /// <summary>The vectors of one file, or null when the fixtures are absent outside CI.</summary>
    public static IReadOnlyList<Vector>? Load(string fileName)
    {
        if (!BeamSync.Tests.Shared.TestFixtures.TryLocate("precompiles", out var folder)) return null;
        string path = Path.Combine(folder, fileName);
        using FileStream stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<List<Vector>>(stream) ?? throw new InvalidDataException($"{path} is empty");
    }
}
