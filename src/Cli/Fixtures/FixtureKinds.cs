using System.Text.Json;

namespace BeamSync.Cli.Fixtures;

/// <summary>Every fixture kind the runner knows, most specific first.</summary>
public static class FixtureKinds
{
    public static readonly IReadOnlyList<IFixtureKind> All = For(beam: null);

    /// <summary>Every kind, blockchain fixtures beam syncing when <paramref name="beam"/> is set (the other kinds have no blocks to sync).</summary>
    public static IReadOnlyList<IFixtureKind> For(BeamMode? beam) =>
    [
        new RlpFixtureKind(),
        // Transaction tests
        new TransactionFixtureKind(),
        // Trie tests
        new TrieFixtureKind(),
        // Blockchain tests
        new BlockchainFixtureKind(beam),
        // State tests
        new StateFixtureKind(),
    ];
}

internal static class JsonElementExtensions
{
    public static bool Has(this JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out JsonElement _);
}

/// <summary>A kind recognized but not yet run: every case counts as skipped until the issue that brings it.</summary>
public sealed class PendingFixtureKind(string name, Func<string, JsonElement, bool> recognizes) : IFixtureKind
{
    public string Name => name;
    public bool Implemented => false;
    public bool Recognizes(string path, JsonElement firstCase) => recognizes(path, firstCase);

    public IEnumerable<CaseResult> Run(string path, JsonElement root)
    {
        foreach (var test in root.EnumerateObject())
            yield return new CaseResult(path, test.Name, "", CaseStatus.Skipped, $"{name} fixtures are not run yet");
    }
}
