using Microsoft.Extensions.Logging;

namespace BeamSync.Sync.Tests;

/// <summary>Writes log lines to stderr with a monotonic time, so a failing sync test shows what the syncer did.</summary>
public sealed class ConsoleTestLogger(string name) : ILogger
{
    private static readonly System.Diagnostics.Stopwatch Clock = System.Diagnostics.Stopwatch.StartNew();
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Console.Error.WriteLine($"{Clock.Elapsed.TotalSeconds,8:0.000} {name} {logLevel}: {formatter(state, exception)}");
}
