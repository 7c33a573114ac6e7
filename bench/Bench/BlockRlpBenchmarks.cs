using BeamSync.Core;
using BeamSync.Core.Types;
using BenchmarkDotNet.Attributes;

namespace BeamSync.Bench;

/// <summary>RLP decode and encode of a ~1 MiB block with 500 mixed-type transactions.</summary>
[MemoryDiagnoser, MinColumn, MaxColumn]
public class BlockRlpBenchmarks
{
    private byte[] _encoded = [];
    private Block _block = null!;
    private byte[] _buffer = [];

    [GlobalSetup]
    public void Setup()
    {
        _block = BenchBlocks.Create();
        _encoded = _block.Encode();
        _buffer = new byte[_encoded.Length];
        Console.WriteLine($"// block: {_encoded.Length} bytes, {_block.Transactions.Length} transactions");
    }

    [Benchmark]
    public Block Decode() => Block.Decode(_encoded);

    /// <summary>Encoding into a reused buffer (a node serving blocks writes into pooled buffers).</summary>
    [Benchmark]
    public int EncodeIntoBuffer()
    {
        var writer = new RlpWriter(_buffer);
        _block.Write(ref writer);
        return writer.Position;
    }

    /// <summary>Encoding a block just decoded: no transaction has its lengths cached yet.</summary>
    [Benchmark]
    public int DecodeThenEncode()
    {
        var block = Block.Decode(_encoded);
        var writer = new RlpWriter(_buffer);
        block.Write(ref writer);
        return writer.Position;
    }
}
