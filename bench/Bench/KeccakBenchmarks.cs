using BenchmarkDotNet.Attributes;
using BeamSync.Core.Crypto;
using Org.BouncyCastle.Crypto.Digests;

namespace BeamSync.Bench;

/// <summary>
/// Keccak-256 one-shot hashing, ours against BouncyCastle's <see cref="KeccakDigest"/> (the managed reference a C#
/// client would otherwise use). 32 bytes is the trie-node/slot-key case (one permutation, overhead visible);
/// 1 MiB is throughput (7711 permutations, absorb path dominates).
/// </summary>
[MemoryDiagnoser]
public class KeccakBenchmarks
{
    private readonly byte[] _output = new byte[32];
    private readonly KeccakDigest _bouncy = new(256);
    private byte[] _input = [];

    [Params(32, 1024 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _input = new byte[Size];
        new Random(42).NextBytes(_input);
    }

    [Benchmark(Baseline = true)]
    public byte[] BouncyCastle()
    {
        _bouncy.BlockUpdate(_input, 0, _input.Length);
        _bouncy.DoFinal(_output, 0);
        return _output;
    }

    [Benchmark]
    public byte[] BeamSync()
    {
        Keccak256.Hash(_input, _output);
        return _output;
    }
}
