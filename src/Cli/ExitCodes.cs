namespace BeamSync.Cli;

/// <summary>The exit codes every <c>beamsync</c> command uses (README.md lists them).</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>A block or fixture case was rejected or failed.</summary>
    public const int Rejected = 1;
    /// <summary>A command-line, option or input-file error.</summary>
    public const int Usage = 2;
    /// <summary>The command exists but what it needs is not built yet.</summary>
    public const int NotAvailable = 3;
    /// <summary>The data directory cannot be used (a file, locked, another genesis, corrupt).</summary>
    public const int DataDir = 4;
    /// <summary>A <c>run --dev</c> datadir holds a devnet made with other devnet options (seed, state, workload, block time).</summary>
    public const int DevnetOptions = 5;
    /// <summary>A bug: an exception no command expected (EX_SOFTWARE).</summary>
    public const int Internal = 70;
}

/// <summary>
/// A user error a command reports as one line on stderr and an exit code from <see cref="ExitCodes"/>; thrown by
/// commands and caught once, in <see cref="Program.Main"/>.
/// </summary>
public sealed class CliException(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode => exitCode;
}
