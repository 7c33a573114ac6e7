using System.Diagnostics.CodeAnalysis;
using BeamSync.Core;
using BeamSync.Core.Specs;

namespace BeamSync.Chain.Specs;

/// <summary>
/// The network names of ethereum/tests and execution-spec-tests blockchain fixtures ("Cancun", "BerlinToLondonAt5",
/// "ShanghaiToCancunAtTime15k", ...) as chain configurations. Thread-safe (immutable).
/// </summary>
public static class FixtureNetworks
{
    private static readonly Dictionary<string, Fork> SingleForks = new(StringComparer.Ordinal)
    {
        ["Frontier"] = Fork.Frontier, ["Homestead"] = Fork.Homestead, ["EIP150"] = Fork.TangerineWhistle,
        ["TangerineWhistle"] = Fork.TangerineWhistle, ["EIP158"] = Fork.SpuriousDragon, ["SpuriousDragon"] = Fork.SpuriousDragon,
        ["Byzantium"] = Fork.Byzantium, ["Constantinople"] = Fork.Constantinople, ["ConstantinopleFix"] = Fork.Petersburg,
        ["Petersburg"] = Fork.Petersburg, ["Istanbul"] = Fork.Istanbul, ["MuirGlacier"] = Fork.MuirGlacier,
        ["Berlin"] = Fork.Berlin, ["London"] = Fork.London, ["ArrowGlacier"] = Fork.ArrowGlacier,
        ["GrayGlacier"] = Fork.GrayGlacier, ["Paris"] = Fork.Paris, ["Merge"] = Fork.Paris, ["Shanghai"] = Fork.Shanghai, ["Dao"] = Fork.Dao,
        ["Cancun"] = Fork.Cancun, ["Prague"] = Fork.Prague, ["Osaka"] = Fork.Osaka,
    };

    public static bool TryGet(string name, [NotNullWhen(true)] out ChainConfig? config)
    {
        config = null;
        if (SingleForks.TryGetValue(name, out var single))
        {
            config = ChainConfig.Single(single);
            return true;
        }
        // "<From>To<To>At<N>", "<From>To<To>AtTime<T>" (T with a k suffix for thousands), "<From>ToParisAtDiff<hex TTD>".
        int to = name.IndexOf("To", StringComparison.Ordinal);
        int at = name.IndexOf("At", to + 2, StringComparison.Ordinal);
        if (to <= 0 || at < 0) return false;
        if (!SingleForks.TryGetValue(name[..to], out var from) || !SingleForks.TryGetValue(name[(to + 2)..at], out var next)) return false;
        var when = name[(at + 2)..];
        ChainConfig.Activation first = new(from, 0, null), second;
        UInt256? ttd = from >= Fork.Paris ? UInt256.Zero : null;
        if (when.StartsWith("Time", StringComparison.Ordinal))
        {
            if (!TryNumber(when[4..], out var time)) return false;
            second = new(next, null, time);
        }
        else if (when.StartsWith("Diff", StringComparison.Ordinal))
        {
            if (next != Fork.Paris || !UInt256.TryParse("0x" + when[4..], out var diff)) return false;
            ttd = diff;
            second = new(next, null, null);
        }
        else
        {
            if (!TryNumber(when, out var block)) return false;
            second = new(next, block, null);
        }
        config = new ChainConfig
        {
            Activations = [first, second],
            DaoForkBlock = next == Fork.Dao ? second.Block : null,
            TerminalTotalDifficulty = ttd,
        };
        return true;
    }

    private static bool TryNumber(string text, out ulong value)
    {
        ulong scale = 1;
        if (text.EndsWith('k')) { scale = 1000; text = text[..^1]; }
        if (!ulong.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value)) return false;
        value *= scale;
        return true;
    }
}
