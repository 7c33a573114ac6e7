using System.Text.Json;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;

namespace BeamSync.Cli.Fixtures;

/// <summary>
/// ethereum/tests TransactionTests: for each fork in <c>result</c>, decode <c>txbytes</c> and validate it under
/// that fork on the network's chain (1); an entry with <c>exception</c> must be rejected for a reason that name allows, any
/// other must give the listed <c>sender</c>, <c>hash</c> and <c>intrinsicGas</c>.
/// </summary>
public sealed partial class TransactionFixtureKind : IFixtureKind
{
    public string Name => "Transaction";
    public bool Implemented => true;

    public bool Recognizes(string path, JsonElement firstCase) => firstCase.Has("txbytes") && firstCase.Has("result");

    public IEnumerable<CaseResult> Run(string path, JsonElement root)
    {
        foreach (var test in root.EnumerateObject())
        {
            var txBytesText = test.Value.GetProperty("txbytes").GetString() ?? "";
            foreach (var expectation in test.Value.GetProperty("result").EnumerateObject())
                yield return RunFork(path, test.Name, txBytesText, expectation.Name, expectation.Value);
        }
    }

    private static CaseResult RunFork(string path, string name, string txBytesText, string forkName, JsonElement expected)
    {
        if (!FixtureNetworks.TryGet(forkName, out var network)) return CaseResult.Fail(path, name, forkName, $"unknown fixture network {forkName}");
        var fork = network.ForkAt(0, 0);
        if (!Hex.TryParse(txBytesText, out var txBytes)) return CaseResult.Fail(path, name, forkName, "txbytes is not hex");
        string? expectedException = expected.TryGetProperty("exception", out var e) ? e.GetString() : null;

        Transaction tx;
        ulong intrinsic;
        try
        {
            tx = Transaction.DecodeCanonical(txBytes);
            tx.Validate(fork, network.ChainId);
            intrinsic = IntrinsicGas.Calculate(tx, fork);
        }
        catch (Exception ex) when (ex is RlpException or TransactionException)
        {
            if (expectedException is null)
                return CaseResult.Fail(path, name, forkName, $"valid transaction rejected: {Describe(ex)}");
            return Explains(expectedException, ex)
                ? CaseResult.Pass(path, name, forkName)
                : CaseResult.Fail(path, name, forkName, $"rejected for the wrong reason: expected {expectedException}, got {Describe(ex)}");
        }
        if (expectedException is not null)
            return CaseResult.Fail(path, name, forkName, $"accepted a transaction the fixture rejects with {expectedException}");

        var sender = Address.Parse(expected.GetProperty("sender").GetString());
        var hash = Hash256.Parse(expected.GetProperty("hash").GetString());
        ulong expectedIntrinsic = ParseQuantity(expected.GetProperty("intrinsicGas").GetString());
        if (tx.Sender != sender) return CaseResult.Fail(path, name, forkName, $"sender {tx.Sender}, expected {sender}");
        if (tx.Hash != hash) return CaseResult.Fail(path, name, forkName, $"hash {tx.Hash}, expected {hash}");
        if (intrinsic != expectedIntrinsic) return CaseResult.Fail(path, name, forkName, $"intrinsic gas {intrinsic}, expected {expectedIntrinsic}");
        return CaseResult.Pass(path, name, forkName);
    }

    private static string Describe(Exception ex) => ex switch
    {
        RlpException r => $"RlpException.{r.Error}: {r.Message}",
        TransactionException t => $"TransactionException.{t.Error}: {t.Message}",
        _ => ex.Message,
    };

    private static ulong ParseQuantity(string? hex)
    {
        var s = (hex ?? "0x0").AsSpan();
        if (s.StartsWith("0x")) s = s[2..];
        return s.IsEmpty ? 0 : ulong.Parse(s, System.Globalization.NumberStyles.HexNumber);
    }
}
