using System.CommandLine;
using System.Text.Json;
using BeamSync.Cli.Fixtures;

namespace BeamSync.Cli.Commands;

/// <summary>
/// <c>beamsync test-fixtures PATH...</c>: runs conformance fixtures. Prints a line per failing case and per file no
/// kind recognizes, then the count of expected-invalid cases rejected for another reason, and last
/// "N passed, N failed" (", N skipped" when cases of kinds not implemented yet were skipped). Exit codes: 0 every
/// case passed, 1 a case failed, a file was not recognized or nothing was checked, 2 usage error.
/// With <c>--beam</c> blockchain fixtures run beam syncing (<see cref="BeamExecutingSide"/>), and each JSON line
/// carries the nodes the case fetched (<c>nodesFetched</c>, and by wire form; null in a normal run).
/// Under CI=true every skip is a failure.
/// </summary>
public static class TestFixturesCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Fixture files or folders (searched recursively for *.json)", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per case (and per unrecognized file) instead of failure lines" };
        var jobs = new Option<int?>("--jobs", "-j") { Description = "Files run in parallel, at least 1 (default: processor count)" };
        jobs.Validators.Add(result =>
        {
            // A value that is not a number is already a parse error; this adds the range.
            if (result.Tokens is [var token] && int.TryParse(token.Value, out int n) && n < 1) result.AddError("--jobs must be at least 1");
        });
        var beam = new Option<bool>("--beam")
        {
            Description = "Run blockchain fixtures beam syncing: the pre-state is held only by an in-process serving node, and the blocks execute on a side that starts empty and fetches every node through the Sync layer",
        };
        var command = new Command("test-fixtures", "Run Ethereum conformance fixtures (RLP, Trie, Transaction, State, Blockchain; ethereum/tests and execution-spec-tests shapes)")
        {
            paths, json, jobs, beam,
        };
        command.SetAction(parse => Run(parse.GetValue(paths)!, parse.GetValue(json), parse.GetValue(jobs) ?? Environment.ProcessorCount, parse.GetValue(beam)));
        return command;
    }

    private static int Run(string[] paths, bool json, int jobs, bool beam)
    {
        BeamMode? beamMode = null;
        if (beam)
        {
            beamMode = new BeamMode();
            // Each running case blocks its executing thread on fetches that the pool completes (the scheduler's loop and
            // the serving node's answers): enough pool threads from the start that this never waits for thread injection.
            ThreadPool.GetMinThreads(out int workers, out int completion);
            ThreadPool.SetMinThreads(Math.Max(workers, 4 * jobs + 8), completion);
        }
        List<string> files;
        try
        {
            files = FixtureRunner.FindFiles(paths).ToList();
        }
        catch (FileNotFoundException e)
        {
            throw new CliException(ExitCodes.Usage, e.Message, e);
        }

        var tally = new FixtureTally();
        var stdout = Console.Out;
        var progress = ProgressLine.ForConsole();
        int filesDone = 0;
        new FixtureRunner(FixtureKinds.For(beamMode), skipsFail: IsCi).Run(files, file =>
        {
            tally.Add(file);
            filesDone++;
            var lines = json ? JsonLines(file) : TextLines(file);
            if (lines.Count > 0)
            {
                progress.Clear();
                foreach (var line in lines) stdout.WriteLine(line);
            }
            progress.Update(elapsed =>
                $"{filesDone}/{files.Count} files, {tally.Cases} cases, {ProgressLine.PerSecond(tally.Cases, elapsed):F0} cases/s, {tally.Failed} failed");
        }, jobs);
        progress.Clear();

        foreach (var line in tally.SummaryLines()) stdout.WriteLine(line);
        return tally.Succeeded ? ExitCodes.Success : ExitCodes.Rejected;
    }

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static List<string> TextLines(FileResult file)
    {
        var lines = new List<string>();
        if (file.Unrecognized is { } why) lines.Add($"UNRECOGNIZED {file.Path}: {why}");
        foreach (var r in file.Cases)
            if (r.Status == CaseStatus.Failed) lines.Add($"FAIL {r.File} :: {r.Name} [{r.Fork}] {r.Reason}");
        return lines;
    }

    private static List<string> JsonLines(FileResult file)
    {
        var lines = new List<string>();
        if (file.Unrecognized is { } why)
            lines.Add(JsonSerializer.Serialize(new { file = file.Path, status = "unrecognized", reason = why }));
        foreach (var r in file.Cases)
            lines.Add(JsonSerializer.Serialize(new
            {
                file = r.File, name = r.Name, fork = r.Fork, status = r.Status.ToString().ToLowerInvariant(), reason = r.Reason,
                rejectedForAnotherReason = r.RejectedForAnotherReason, nodesFetched = r.NodesFetched, nodesFetchedByForm = r.NodesFetchedByForm,
            }));
        return lines;
    }
}
