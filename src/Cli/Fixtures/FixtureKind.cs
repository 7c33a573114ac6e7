using System.Text.Json;

namespace BeamSync.Cli.Fixtures;

public enum CaseStatus { Passed, Failed, Skipped }

/// <summary>The outcome of one fixture case (one fork of one named test).</summary>
public sealed record CaseResult(string File, string Name, string Fork, CaseStatus Status, string? Reason = null)
{
    public static CaseResult Pass(string file, string name, string fork = "") => new(file, name, fork, CaseStatus.Passed);
    public static CaseResult Fail(string file, string name, string fork, string reason) => new(file, name, fork, CaseStatus.Failed, reason);
}

/// <summary>
/// One kind of conformance fixture (RLP, Trie, Transaction, State, Blockchain, ...). A kind recognizes a file by
/// the shape of its first case and runs every case in it. Kinds must not throw for a malformed case: they report
/// it as failed with the reason.
/// </summary>
public interface IFixtureKind
{
    string Name { get; }

    /// <summary>Whether a file whose top-level object holds <paramref name="firstCase"/> is of this kind.</summary>
    bool Recognizes(string path, JsonElement firstCase);

    /// <summary>False while the layers the kind needs are still to come: its cases then count as skipped.</summary>
    bool Implemented { get; }

    IEnumerable<CaseResult> Run(string path, JsonElement root);
}
