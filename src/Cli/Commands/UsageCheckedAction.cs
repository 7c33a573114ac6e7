using System.CommandLine;
using System.CommandLine.Invocation;

namespace BeamSync.Cli.Commands;

/// <summary>
/// A command action whose usage errors (the parser's and <see cref="UsageException"/>s from binding) end the
/// process with exit code 2 and one line on stderr, instead of the parser's default help dump and exit code 1.
/// </summary>
public sealed class UsageCheckedAction(string commandName, Func<ParseResult, int> run) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        try
        {
            ThrowOnParseErrors(parseResult);
            return run(parseResult);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"beamsync {commandName}: {e.Message}");
            return UsageException.ExitCode;
        }
    }

    /// <summary>Turns the parser's first error, or a stray token, into a <see cref="UsageException"/>.</summary>
    public static void ThrowOnParseErrors(ParseResult parseResult)
    {
        if (parseResult.Errors.Count > 0)
            throw new UsageException(OneLine(parseResult.Errors[0].Message));
        if (parseResult.UnmatchedTokens.Count > 0)
            throw new UsageException($"unrecognized argument '{parseResult.UnmatchedTokens[0]}'");
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
