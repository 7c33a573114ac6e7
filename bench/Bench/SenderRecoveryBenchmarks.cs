using BeamSync.Core;
using BeamSync.Core.Types;
using BenchmarkDotNet.Attributes;

namespace BeamSync.Bench;

/// <summary>
/// Sender recovery of EIP-1559 transactions on one thread: signing hash (RLP + keccak) and secp256k1 public-key
/// recovery. Each iteration recovers freshly decoded transactions, so nothing is cached.
/// </summary>
[MemoryDiagnoser, MinColumn, MaxColumn]
public class SenderRecoveryBenchmarks
{
    private const int Count = 1000;
    private byte[][] _encoded = [];
    private Transaction[] _fresh = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        _encoded = new byte[Count][];
        for (int i = 0; i < Count; i++)
        {
            var to = new Address(BenchBlocks.Key(i + 10_000).AsSpan(0, 20));
            _encoded[i] = BenchBlocks.DynamicFee(i, to, BenchBlocks.AbiLikeCalldata(random, 132)).Sign(BenchBlocks.Key(i)).EncodeCanonical();
        }
    }

    [IterationSetup]
    public void DecodeFresh()
    {
        _fresh = new Transaction[Count];
        for (int i = 0; i < Count; i++) _fresh[i] = Transaction.DecodeCanonical(_encoded[i]);
    }

    /// <summary>The curve alone (recovery of a fixed signature and hash), to split the cost.</summary>
    [Benchmark(OperationsPerInvoke = Count)]
    public int CurveRecoverOnly()
    {
        var tx = _fresh[0];
        var hash = tx.SigningHash();
        Span<byte> signature = stackalloc byte[64];
        tx.R.ToBigEndian(signature[..32]);
        tx.S.ToBigEndian(signature[32..]);
        int ok = 0;
        for (int i = 0; i < Count; i++)
            if (Core.Crypto.Secp256k1Curve.TryRecoverAddress(hash.Bytes, signature, tx.RecoveryId, out _)) ok++;
        return ok;
    }

    /// <summary>The signing hash alone: RLP of the unsigned fields and keccak256.</summary>
    [Benchmark(OperationsPerInvoke = Count)]
    public int SigningHashOnly()
    {
        int x = 0;
        foreach (var tx in _fresh) x += tx.SigningHash().Bytes[0];
        return x;
    }

    [Benchmark(OperationsPerInvoke = Count, Baseline = true)]
    public int RecoverSender()
    {
        int ok = 0;
        foreach (var tx in _fresh)
            if (tx.TryRecoverSender(out _)) ok++;
        return ok;
    }
}
