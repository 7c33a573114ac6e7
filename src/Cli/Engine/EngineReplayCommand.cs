using System.CommandLine;
using BeamSync.Cli.Commands;
using BeamSync.Rpc;

namespace BeamSync.Cli.Engine;

/// <summary>
/// <c>beamsync engine-replay --url URL --jwt FILE CALLS...</c>: sends recorded engine API calls (see
/// <see cref="EngineReplay"/>) in order and checks each answer. Exit codes: 0 every answer as expected, 1 some were
/// not (each printed), 2 a usage or input-file error, or no engine API answering at the URL.
/// </summary>
public static class EngineReplayCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "The engine API's URL", DefaultValueFactory = _ => "http://127.0.0.1:8551" };
        var jwt = new Option<string>("--jwt") { Description = "The JWT secret file (64 hex digits)", Required = true };
        var files = new Argument<string[]>("calls") { Description = "Recorded calls: JSON (a call or an array) or execution-apis .io files", Arity = ArgumentArity.OneOrMore };
        var command = new Command("engine-replay", "Send recorded engine API calls to a node and check each answer's status") { url, jwt, files };
        command.Action = new UsageCheckedAction("engine-replay", parse => Run(parse.GetValue(url)!, parse.GetValue(jwt)!, parse.GetValue(files)!));
        return command;
    }

    public static int Run(string url, string jwtFile, IReadOnlyList<string> files)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw new UsageException($"--url: '{url}' is not an http URL");
        byte[] secret;
        List<ReplayCall> calls = [];
        try
        {
            secret = JwtAuthenticator.ParseSecret(File.ReadAllText(jwtFile), jwtFile);
            foreach (var file in files) calls.AddRange(EngineReplay.Load(file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            throw new UsageException(e.Message);
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        ReplayOutcome outcome;
        try { outcome = new EngineReplay(http, uri, secret).RunAsync(calls, CancellationToken.None).GetAwaiter().GetResult(); }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            throw new CliException(ExitCodes.Usage, $"engine-replay: no engine API answered at {uri}: {e.Message}");
        }
        foreach (var mismatch in outcome.Mismatches) Console.WriteLine(mismatch);
        Console.WriteLine($"{outcome.Calls} calls, {outcome.AsExpected} as expected{(outcome.LastHead is { } head ? $", head {head}" : "")}");
        return outcome.AsExpected == outcome.Calls ? ExitCodes.Success : ExitCodes.Rejected;
    }
}
