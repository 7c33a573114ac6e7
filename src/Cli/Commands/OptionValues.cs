using System.Globalization;
using Microsoft.Extensions.Logging;

namespace BeamSync.Cli.Commands;

/// <summary>Parsers for option values the command line writes in human units; each throws <see cref="UsageException"/> naming the option.</summary>
public static class OptionValues
{
    /// <summary>Bytes per second: a number with an optional decimal (kB, MB, GB) or binary (KiB, MiB, GiB) suffix, or "unlimited" (null).</summary>
    public static long? ParseBandwidth(string option, string text)
    {
        var value = text.Trim();
        if (value.Equals("unlimited", StringComparison.OrdinalIgnoreCase)) return null;
        if (value.EndsWith("/s", StringComparison.OrdinalIgnoreCase)) value = value[..^2];
        (string Suffix, long Scale)[] units = [("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("kB", 1_000), ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("B", 1)];
        long scale = 1;
        foreach (var (suffix, unitScale) in units)
        {
            if (!value.EndsWith(suffix, StringComparison.Ordinal)) continue;
            value = value[..^suffix.Length].Trim();
            scale = unitScale;
            break;
        }
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number <= 0 || double.IsInfinity(number))
            throw new UsageException($"{option}: '{text}' is not a bandwidth (bytes per second, e.g. 2MB, 512KiB, 250000 or unlimited)");
        var bytes = number * scale;
        if (bytes < 1 || bytes > long.MaxValue / 2)
            throw new UsageException($"{option}: '{text}' is out of range");
        return (long)bytes;
    }

    /// <summary>Formats bytes per second the way <see cref="ParseBandwidth"/> reads it back exactly.</summary>
    public static string FormatBandwidth(long? bytesPerSecond) =>
        bytesPerSecond is { } bytes ? bytes.ToString(CultureInfo.InvariantCulture) : "unlimited";

    /// <summary>A duration in seconds (fractions allowed) or with an ms / s suffix; strictly positive.</summary>
    public static TimeSpan ParseSeconds(string option, string text)
    {
        var value = text.Trim();
        double scale = 1;
        if (value.EndsWith("ms", StringComparison.Ordinal)) { value = value[..^2]; scale = 0.001; }
        else if (value.EndsWith('s')) value = value[..^1];
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !(seconds > 0) || seconds * scale > 86_400)
            throw new UsageException($"{option}: '{text}' is not a duration (seconds, e.g. 2, 0.5 or 500ms)");
        return TimeSpan.FromSeconds(seconds * scale);
    }

    public static string FormatSeconds(TimeSpan duration) =>
        duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    public static LogLevel ParseLogLevel(string option, string text) => text.Trim().ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" or "information" => LogLevel.Information,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "crit" or "critical" => LogLevel.Critical,
        "none" => LogLevel.None,
        _ => throw new UsageException($"{option}: '{text}' is not a log level (trace, debug, info, warn, error, crit, none)"),
    };

    /// <summary>One of <paramref name="names"/> (case-insensitive), mapped to its value.</summary>
    public static T ParseChoice<T>(string option, string text, params (string Name, T Value)[] names)
    {
        foreach (var (name, value) in names)
            if (name.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase)) return value;
        throw new UsageException($"{option}: '{text}' is not one of {string.Join(", ", names.Select(n => n.Name))}");
    }

    public static int CheckRange(string option, int value, int min, int max) =>
        value >= min && value <= max ? value : throw new UsageException($"{option}: {value} is out of range ({min}..{max})");

    /// <summary>On/off switch pairs: <c>--x</c> / <c>--no-x</c>; both given is a usage error.</summary>
    public static bool ResolveSwitch(string name, bool onGiven, bool offGiven, bool defaultValue)
    {
        if (onGiven && offGiven) throw new UsageException($"--{name} and --no-{name} contradict each other");
        return onGiven || (!offGiven && defaultValue);
    }
}
