using System.CommandLine;
using System.Diagnostics;
using BeamSync.Chain.Store;
using BeamSync.Core;
using BeamSync.Trie;

namespace BeamSync.Cli.Commands;

/// <summary>
/// <c>beamsync verify-state --datadir DIR [--root HASH]</c>: walks the whole state from the head block's state root
/// (or the given root) through every storage trie and code, reading only the local store, and reports each node that
/// is absent or corrupt (bytes that do not hash to their reference, or do not decode). Independent of the
/// completeness marks: the slow proof they are checked against; with <c>--marks</c> it also checks each mark it meets
/// (a mark on a subtrie with something absent or corrupt below it is false). Exit codes: 0 complete (and no false
/// mark), 1 something absent or corrupt or a false mark, 2 a bad option, 4 a datadir problem (no head and no --root
/// included).
/// </summary>
public static class VerifyStateCommand
{
    /// <summary>Findings printed one a line before the rest are only counted.</summary>
    private const int PrintedFindings = 100;

    public static Command Create()
    {
        var datadir = new Option<string>("--datadir") { Description = "Data directory (RocksDB)", Required = true };
        var root = new Option<string?>("--root") { Description = "State root to walk (default: the head block's)" };
        var marks = new Option<bool>("--marks") { Description = "Also check every completeness mark met against the walk" };
        var command = new Command("verify-state", "Walk the whole state from a root and report absent and corrupt nodes") { datadir, root, marks };
        command.SetAction(parse => Run(parse.GetValue(datadir)!, parse.GetValue(root), parse.GetValue(marks)));
        return command;
    }

    private static int Run(string datadir, string? rootText, bool auditMarks)
    {
        Hash256? chosen = null;
        if (rootText is not null)
        {
            if (!Hash256.TryParse(rootText, out var parsed)) throw new CliException(ExitCodes.Usage, $"--root {rootText} is not a 32-byte hex hash");
            chosen = parsed;
        }
        if (!Directory.Exists(datadir)) throw new CliException(ExitCodes.DataDir, $"datadir {datadir} does not exist");
        using var store = DataDir.Open(datadir);
        var root = chosen ?? new BlockStore(store).Head?.StateRoot
                   ?? throw new CliException(ExitCodes.DataDir, $"datadir {datadir} has no head block: pass --root");

        int printed = 0;
        long corrupt = 0, missing = 0;
        void Report(string line)
        {
            if (printed++ < PrintedFindings) Console.WriteLine(line);
        }
        var walker = new MissingNodeWalker(new StoreNodeSource(store), AccountLeafDescender.Instance, c =>
        {
            corrupt++;
            Report($"corrupt {c.Hash} in the {c.Owner} at path {NibbleText(c.Path)}: {c.Reason}");
        }, auditMarks ? new CompletenessMarks(store) : null, MarkUse.Audit);
        Console.WriteLine($"walking state root {root}");
        var clock = Stopwatch.StartNew();
        foreach (var m in walker.Walk(root))
        {
            missing++;
            Report(m.IsCode ? $"absent code {m.Hash}" : $"absent {m.Hash} in the {m.Owner} at path {NibbleText(m.Path)}");
        }
        Console.WriteLine($"{walker.NodesVisited:N0} nodes read in {clock.Elapsed.TotalSeconds:F1} s: {missing:N0} absent, {corrupt:N0} corrupt");
        int falseMarks = 0;
        if (walker.Completion is { } audit)
        {
            falseMarks = audit.FalseMarks.Count;
            foreach (var hash in audit.FalseMarks) Report($"false mark {hash}: its subtrie is not complete");
            Console.WriteLine($"marks: {audit.MarksConfirmed:N0} confirmed, {falseMarks:N0} false");
        }
        return missing + corrupt + falseMarks == 0 ? ExitCodes.Success : ExitCodes.Rejected;
    }

    /// <summary>A nibble path as one hex digit a nibble ("root" when empty).</summary>
    private static string NibbleText(byte[] path) =>
        path.Length == 0 ? "root" : new string(Array.ConvertAll(path, n => "0123456789abcdef"[n]));
}
