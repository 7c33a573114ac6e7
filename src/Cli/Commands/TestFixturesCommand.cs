using System.CommandLine;
using System.Text.Json;
using BeamSync.Cli.Fixtures;

namespace BeamSync.Cli.Commands;

/// <summary><c>beamsync test-fixtures PATH...</c>: runs conformance fixtures and ends with "N passed, N failed".</summary>
public static class TestFixturesCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Fixture files or folders (searched recursively for *.json)", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per case instead of failure lines" };
        var jobs = new Option<int?>("--jobs", "-j") { Description = "Files run in parallel (default: processor count)" };
        var command = new Command("test-fixtures", "Run Ethereum conformance fixtures (RLP, Trie, Transaction, State, Blockchain; ethereum/tests and execution-spec-tests shapes)")
        {
            paths, json, jobs,
        };
        command.SetAction(parse => Run(parse.GetValue(paths)!, parse.GetValue(json), parse.GetValue(jobs)));
        return command;
    }

    private static int Run(string[] paths, bool json, int? jobs)
    {
        List<string> files;
        try
        {
            files = FixtureRunner.FindFiles(paths).ToList();
        }
        catch (DirectoryNotFoundException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }

        int passed = 0, failed = 0, skipped = 0;
        var stdout = Console.Out;
        new FixtureRunner(FixtureKinds.All).Run(files, results =>
        {
            foreach (var r in results)
            {
                switch (r.Status)
                {
                    case CaseStatus.Passed: passed++; break;
                    case CaseStatus.Failed: failed++; break;
                    default: skipped++; break;
                }
                if (json) stdout.WriteLine(JsonSerializer.Serialize(new { file = r.File, name = r.Name, fork = r.Fork, status = r.Status.ToString().ToLowerInvariant(), reason = r.Reason }));
                else if (r.Status == CaseStatus.Failed) stdout.WriteLine($"FAIL {r.File} :: {r.Name} [{r.Fork}] {r.Reason}");
            }
        }, jobs);

        stdout.WriteLine(skipped > 0 ? $"{passed} passed, {failed} failed, {skipped} skipped" : $"{passed} passed, {failed} failed");
        return failed == 0 ? 0 : 1;
    }
}
