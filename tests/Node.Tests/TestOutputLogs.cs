using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace BeamSync.Node.Tests;

/// <summary>
/// A node's log into the test's output, each line with the node's name, the time since the factory was made and the
/// category, so a failing loopback test shows what its nodes said (a node that fell back from full to beam names the
/// missing node there). Lines below <paramref name="minimum"/> are dropped; lines after the test ended are dropped too
/// (xunit refuses them). Thread-safe.
/// </summary>
internal sealed class TestOutputLogs(ITestOutputHelper output, string node, LogLevel minimum = LogLevel.Information) : ILoggerFactory
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("the test's output is the only sink");

    public void Dispose() { }

    private void Write(LogLevel level, string category, string message, Exception? exception)
    {
        var line = $"{_clock.Elapsed.TotalSeconds,8:0.000} {node} {Short(level)} {category}: {message}";
        if (exception is not null) line += Environment.NewLine + exception;
        try { output.WriteLine(line); }
        catch (InvalidOperationException) { /* the test has ended: nobody reads this line */ }
    }

    private static string Short(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce", LogLevel.Debug => "dbug", LogLevel.Information => "info",
        LogLevel.Warning => "warn", LogLevel.Error => "fail", _ => "crit",
    };

    private sealed class Logger(TestOutputLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= logs.Minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) logs.Write(logLevel, category, formatter(state, exception), exception);
        }
    }

    private LogLevel Minimum => minimum;
}
