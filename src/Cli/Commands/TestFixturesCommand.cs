using System.CommandLine;
using System.Text.Json;
using BeamSync.Cli.Fixtures;

namespace BeamSync.Cli.Commands;

/// <summary>
/// <c>beamsync test-fixtures PATH...</c>: runs conformance fixtures. Prints a line per failing case and per file no
/// kind recognizes, then the count of expected-invalid cases rejected for another reason, and last
/// "N passed, N failed" (", N skipped" when cases of kinds not implemented yet were skipped). Exit codes: 0 every
/// case passed, 1 a case failed, a file was not recognized or nothing was checked, 2 usage error.
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
        var command = new Command("test-fixtures", "Run Ethereum conformance fixtures (RLP, Trie, Transaction, State, Blockchain; ethereum/tests and execution-spec-tests shapes)")
        {
            paths, json, jobs,
        };
        command.SetAction(parse => Run(parse.GetValue(paths)!, parse.GetValue(json), parse.GetValue(jobs) ?? Environment.ProcessorCount));
        return command;
    }

    private static int Run(string[] paths, bool json, int jobs)
    {
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
        new FixtureRunner(FixtureKinds.All, skipsFail: IsCi).Run(files, file =>
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
                rejectedForAnotherReason = r.RejectedForAnotherReason,
            }));
        return lines;
    }
}
