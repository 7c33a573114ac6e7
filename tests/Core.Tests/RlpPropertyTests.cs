using BeamSync.Core;
using CsCheck;

namespace BeamSync.Core.Tests;

/// <summary>
/// Property tests: the decoder's only failure on any input is <see cref="RlpException"/> (no out-of-range read,
/// overflow or allocation blow-up), and every canonical encoding decodes back to what was encoded.
/// </summary>
public class RlpPropertyTests
{
    private abstract record Node;
    private sealed record Str(byte[] Bytes) : Node;
    private sealed record Lst(Node[] Items) : Node;

    private static readonly Gen<Node> Leaf = Gen.Frequency(
        (2, Gen.Byte.Array[0, 2]),        // empty, single bytes above and below 0x80, two bytes
        (1, Gen.Byte.Array[3, 70]))       // across the 55/56-byte short/long boundary
        .Select(b => (Node)new Str(b));

    private static readonly Gen<Node> Tree = Gen.Recursive<Node>((depth, tree) =>
        depth >= 4 ? Leaf : Gen.Frequency((3, Leaf), (1, tree.Array[0, 6].Select(items => (Node)new Lst(items)))));

    private static byte[] Encode(Node node) => node switch
    {
        Str s => Rlp.EncodeBytes(s.Bytes),
        Lst l => Rlp.EncodeList(l.Items.Select(Encode).ToArray()),
        _ => throw new InvalidOperationException(),
    };

    private static Node Decode(ref RlpReader reader)
    {
        if (!reader.PeekIsList()) return new Str(reader.ReadBytes().ToArray());
        var list = reader.ReadList();
        var items = new List<Node>();
        while (list.HasMore) items.Add(Decode(ref list));
        return new Lst([.. items]);
    }

    private static bool Same(Node a, Node b) => (a, b) switch
    {
        (Str x, Str y) => x.Bytes.AsSpan().SequenceEqual(y.Bytes),
        (Lst x, Lst y) => x.Items.Length == y.Items.Length && x.Items.Zip(y.Items).All(p => Same(p.First, p.Second)),
        _ => false,
    };

    [Fact]
    public void CanonicalEncodingsRoundTrip()
    {
        Tree.Sample(node =>
        {
            var encoded = Encode(node);
            Rlp.Validate(encoded);
            var reader = new RlpReader(encoded);
            var decoded = Decode(ref reader);
            reader.EnsureEnd();
            Assert.True(Same(node, decoded));
            var again = new RlpReader(encoded);
            Assert.Equal(encoded, again.ReadEncodedItem().ToArray());
        }, iter: 5_000);
    }

    [Fact]
    public void IntegersRoundTrip()
    {
        Gen.ULong.Sample(v =>
        {
            var r = new RlpReader(Rlp.Encode(v));
            Assert.Equal(v, r.ReadUInt64());
            r.EnsureEnd();
            var u = new RlpReader(Rlp.Encode(new UInt256(v)));
            Assert.Equal(new UInt256(v), u.ReadUInt256());
        }, iter: 5_000);
        Gen.Byte.Array[32].Sample(word =>
        {
            var value = new UInt256(word);
            var r = new RlpReader(Rlp.Encode(value));
            Assert.Equal(value, r.ReadUInt256());
            r.EnsureEnd();
        }, iter: 5_000);
    }

    [Fact]
    public void RandomBytesOnlyEverThrowRlpException()
    {
        Gen.Byte.Array[0, 64].Sample(ExerciseEveryReader, iter: 20_000);
    }

    [Fact]
    public void HeaderHeavyRandomBytesOnlyEverThrowRlpException()
    {
        // Mostly long-form and list prefixes, where the length arithmetic lives.
        var headerByte = Gen.Frequency((3, Gen.Byte[0xb8, 0xff]), (1, Gen.Byte));
        headerByte.Array[1, 24].Sample(ExerciseEveryReader, iter: 20_000);
    }

    [Fact]
    public void MutatedEncodingsOnlyEverThrowRlpException()
    {
        Gen.Select(Tree, Gen.Int[0, 4], Gen.Int[0, 10_000], Gen.Byte).Sample((node, kind, where, value) =>
        {
            var encoded = Encode(node).ToList();
            int at = where % Math.Max(1, encoded.Count);
            switch (kind)
            {
                case 0 when encoded.Count > 0: encoded[at] = value; break;                          // overwrite
                case 1: encoded.RemoveRange(at, encoded.Count - at); break;                           // truncate
                case 2: encoded.Insert(at, value); break;                                              // insert
                case 3 when encoded.Count > 0: encoded.RemoveAt(at); break;                            // delete
                case 4 when encoded.Count > 0: encoded[at] ^= (byte)(1 << (value & 7)); break;        // bit flip
            }
            ExerciseEveryReader([.. encoded]);
        }, iter: 20_000);
    }

    /// <summary>Runs every decoding entry point on the input; anything but RlpException escapes and fails the test.</summary>
    private static void ExerciseEveryReader(byte[] input)
    {
        Expect(() => Rlp.Validate(input));
        Expect(() => Rlp.Validate(input, maxDepth: 2));
        Expect(() => new RlpReader(input).ReadBytes());
        Expect(() => new RlpReader(input).ReadBytes(32));
        Expect(() => new RlpReader(input).ReadUInt64());
        Expect(() => new RlpReader(input).ReadUInt256());
        Expect(() => new RlpReader(input).ReadInt32());
        Expect(() => new RlpReader(input).ReadBool());
        Expect(() => new RlpReader(input).ReadHash());
        Expect(() => new RlpReader(input).ReadAddress());
        Expect(() => new RlpReader(input).ReadOptionalAddress());
        Expect(() => new RlpReader(input).ReadEncodedItem());
        Expect(() => new RlpReader(input).PeekIsList());
        Expect(() => { var r = new RlpReader(input); r.SkipItem(); r.EnsureEnd(); });
        Expect(() => { var r = new RlpReader(input); Walk(ref r, 0); });
    }

    /// <summary>Descends into every list, trying the integer readers on copies before reading each string.</summary>
    private static void Walk(ref RlpReader reader, int depth)
    {
        while (reader.HasMore)
        {
            if (reader.PeekIsList())
            {
                var list = reader.ReadList();
                if (depth < 64) Walk(ref list, depth + 1);
                continue;
            }
            var asUInt64 = reader;
            try { asUInt64.ReadUInt64(); } catch (RlpException) { }
            var asUInt256 = reader;
            try { asUInt256.ReadUInt256(); } catch (RlpException) { }
            reader.ReadBytes();
        }
    }

    private static void Expect(Action action)
    {
        try { action(); }
        catch (RlpException) { }
    }
}
