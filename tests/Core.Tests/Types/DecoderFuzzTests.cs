using BeamSync.Core.Types;
using CsCheck;

namespace BeamSync.Core.Tests.Types;

/// <summary>
/// Hostile bytes for every decoder: random input and mutations of valid encodings (flipped, overwritten, nudged,
/// inserted and deleted bytes, truncations). A decoder may only throw RlpException or TransactionException; when
/// it accepts, re-encoding must give back the input exactly (strictness), and no input may make it allocate far
/// beyond its own size.
/// </summary>
public class DecoderFuzzTests
{
    private const int Iterations = 3000;

    /// <summary>A decoder under test: decodes, and re-encodes what it decoded.</summary>
    private delegate byte[] RoundTrip(byte[] input);

    private static byte[] DecodeInList<T>(byte[] input, ReadFromList<T> read, WriteInList<T> write, Func<T, int> length)
    {
        var reader = new RlpReader(input);
        var value = read(ref reader);
        reader.EnsureEnd();
        var buffer = new byte[length(value)];
        var writer = new RlpWriter(buffer);
        write(value, ref writer);
        return buffer;
    }

    private delegate T ReadFromList<T>(ref RlpReader reader);
    private delegate void WriteInList<T>(T value, ref RlpWriter writer);

    private static readonly (string Name, RoundTrip Decode, byte[][] Seeds)[] Decoders =
    [
        ("transaction", b => Transaction.DecodeCanonical(b).EncodeCanonical(), Samples.AllTypes().Select(t => t.EncodeCanonical()).ToArray()),
        ("transaction in list", b => DecodeInList(b, Transaction.ReadFromList, (Transaction t, ref RlpWriter w) => t.WriteInList(ref w), t => t.LengthInList),
            Samples.AllTypes().Select(InList).ToArray()),
        ("header", b => BlockHeader.Decode(b).Encode(), Enumerable.Range(0, 7).Select(i => Samples.Header(i).Encode()).ToArray()),
        ("body", b => BlockBody.Decode(b).Encode(), [new BlockBody(Samples.AllTypes(), [Samples.Header(0)], [new Withdrawal(1, 2, Samples.To, 3)]).Encode()]),
        ("block", b => Block.Decode(b).Encode(), [new Block(Samples.Header(6), new BlockBody(Samples.AllTypes(), [], [new Withdrawal(1, 2, Samples.To, 3)])).Encode()]),
        ("receipt", b => Receipt.DecodeCanonical(b).EncodeCanonical(),
        [
            Receipt.Create(TransactionType.Legacy, true, 21_000, [Samples.SampleLog(1)]).EncodeCanonical(),
            Receipt.Create(TransactionType.Blob, false, 1, [Samples.SampleLog(1), Samples.SampleLog(2)]).EncodeCanonical(),
            new Receipt { PostState = Hash256.EmptyKeccak, CumulativeGasUsed = 3 }.EncodeCanonical(),
        ]),
        ("receipt in list", b => DecodeInList(b, Receipt.ReadFromList, (Receipt r, ref RlpWriter w) => r.WriteInList(ref w), r => r.LengthInList),
            [InList(Receipt.Create(TransactionType.DynamicFee, true, 5, [Samples.SampleLog(3)]))]),
        ("log", b => Log.Decode(b).Encode(), [Samples.SampleLog(1).Encode(), new Log(Address.Zero, [], []).Encode()]),
        ("withdrawal", b => Withdrawal.Decode(b).Encode(), [new Withdrawal(1, 2, Samples.To, 3_000_000_000).Encode()]),
        ("account", b => Account.Decode(b).Encode(), [new Account(1, UInt256.Parse("0x123456789abcdef0123456789"), Hash256.EmptyTrieRoot, Hash256.EmptyKeccak).Encode()]),
    ];

    private static byte[] InList(Transaction tx)
    {
        var buffer = new byte[tx.LengthInList];
        var writer = new RlpWriter(buffer);
        tx.WriteInList(ref writer);
        return buffer;
    }

    private static byte[] InList(Receipt receipt)
    {
        var buffer = new byte[receipt.LengthInList];
        var writer = new RlpWriter(buffer);
        receipt.WriteInList(ref writer);
        return buffer;
    }

    public static TheoryData<string> DecoderNames()
    {
        var data = new TheoryData<string>();
        foreach (var d in Decoders) data.Add(d.Name);
        return data;
    }

    /// <summary>Applies one mutation chosen by <paramref name="kind"/> at a position derived from <paramref name="where"/>.</summary>
    private static byte[] Mutate(byte[] seed, int kind, int where, byte value)
    {
        if (seed.Length == 0) return [value];
        int at = (int)((uint)where % (uint)seed.Length);
        var list = seed.ToList();
        switch (kind)
        {
            case 0: list[at] ^= (byte)(value | 1); break;                 // flip bits
            case 1: list[at] = value; break;                              // overwrite
            case 2: list[at] = (byte)(list[at] + (value % 5) - 2); break; // nudge (lengths off by a little)
            case 3: list.Insert(at, value); break;                        // insert
            case 4: list.RemoveAt(at); break;                             // delete
            default: list.RemoveRange(at, list.Count - at); break;        // truncate
        }
        return list.ToArray();
    }

    private static void Check(string name, RoundTrip decode, byte[] input)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        byte[] reencoded;
        try
        {
            reencoded = decode(input);
        }
        catch (RlpException) { return; }
        catch (TransactionException) { return; }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{name}: {e.GetType().Name} for {Hex.ToHex(input)}: {e}");
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // Decoding plus re-encoding: a few copies of the input and per-item objects, never more.
        Assert.True(allocated <= 64L * input.Length + 64 * 1024, $"{name}: {allocated} bytes allocated for {input.Length} input bytes");
        Assert.True(input.AsSpan().SequenceEqual(reencoded), $"{name}: accepted a non-canonical form {Hex.ToHex(input)}, re-encoded {Hex.ToHex(reencoded)}");
    }

    [Theory]
    [MemberData(nameof(DecoderNames))]
    public void MutatedValidEncodingsOnlyFailWithTypedErrors(string name)
    {
        var (_, decode, seeds) = Array.Find(Decoders, d => d.Name == name);
        foreach (var seed in seeds) Check(name, decode, seed); // the seeds themselves must round-trip
        Gen.Select(Gen.Int[0, seeds.Length - 1], Gen.Int[0, 5], Gen.Int, Gen.Byte, Gen.Int[1, 3])
            .Sample((s, kind, where, value, rounds) =>
            {
                var input = seeds[s];
                for (int i = 0; i < rounds; i++) input = Mutate(input, kind, where + i * 7919, (byte)(value + i));
                Check(name, decode, input);
            }, iter: Iterations, threads: 1);
    }

    [Theory]
    [MemberData(nameof(DecoderNames))]
    public void RandomBytesOnlyFailWithTypedErrors(string name)
    {
        var (_, decode, _) = Array.Find(Decoders, d => d.Name == name);
        Gen.Byte.Array[0, 300].Sample(input => Check(name, decode, input), iter: Iterations, threads: 1);
        // Random bytes rarely get past the first header; a list prefix steers them into the field decoders.
        Gen.Byte.Array[0, 300].Sample(input => Check(name, decode, Rlp.EncodeList(input)), iter: Iterations, threads: 1);
    }

    [Fact]
    public void BlobNetworkFormOnlyFailsWithTypedErrors()
    {
        var seeds = new[] { BlobSidecarTests.Sample(0, 1).Encode(), BlobSidecarTests.Sample(1, 1).Encode() };
        RoundTrip decode = b => BlobTransactionWithSidecar.Decode(b).Encode();
        foreach (var seed in seeds) Check("blob network form", decode, seed);
        // Mutations are aimed at the first kilobyte (headers, the transaction, the version) and the list headers
        // of the sidecar lists; the blob payload itself is opaque bytes.
        Gen.Select(Gen.Int[0, 1], Gen.Int[0, 5], Gen.Int[0, 1200], Gen.Byte)
            .Sample((s, kind, where, value) => Check("blob network form", decode, Mutate(seeds[s], kind, where, value)), iter: 400, threads: 1);
    }
}
