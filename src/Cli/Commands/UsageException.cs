namespace BeamSync.Cli.Commands;

/// <summary>The command line is wrong; <see cref="Exception.Message"/> is one line for stderr, the exit code is 2.</summary>
public sealed class UsageException(string message) : Exception(message)
{
    public const int ExitCode = 2;
}
