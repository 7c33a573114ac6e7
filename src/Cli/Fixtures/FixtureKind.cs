using System.Text.Json;

namespace BeamSync.Cli.Fixtures;

public enum CaseStatus { Passed, Failed, Skipped }

/// <summary>
/// The outcome of one fixture case (one fork of one named test). <see cref="RejectedForAnotherReason"/> marks a
/// passing expected-invalid case whose block or transaction was rejected, but not for the reason the fixture names.
/// </summary>
public sealed record CaseResult(string File, string Name, string Fork, CaseStatus Status, string? Reason = null)
{
    public bool RejectedForAnotherReason { get; init; }

    /// <summary>State nodes and code the case fetched from a serving node (a beam run); null when it read only its own store.</summary>
    public long? NodesFetched { get; init; }

    /// <summary>The same by wire form (<c>hash</c>, <c>path</c>, ...); null with <see cref="NodesFetched"/>.</summary>
    public IReadOnlyDictionary<string, long>? NodesFetchedByForm { get; init; }

    public static CaseResult Pass(string file, string name, string fork = "") => new(file, name, fork, CaseStatus.Passed);
    public static CaseResult Fail(string file, string name, string fork, string reason) => new(file, name, fork, CaseStatus.Failed, reason);
}

/// <summary>
/// What the runner made of one file: its cases, or, when no kind recognizes it, why not
/// (<see cref="Unrecognized"/>; then <see cref="Cases"/> is empty).
/// </summary>
public sealed record FileResult(string Path, IReadOnlyList<CaseResult> Cases, string? Unrecognized = null);

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

    /// <summary>
    /// False while the layers the kind needs are still to come: only then may its cases count as skipped. A skip
    /// reported by an implemented kind is a failure (the runner turns it into one).
    /// </summary>
    bool Implemented { get; }

    IEnumerable<CaseResult> Run(string path, JsonElement root);
}
