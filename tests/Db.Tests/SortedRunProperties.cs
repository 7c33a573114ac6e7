using CsCheck;

namespace BeamSync.Db.Tests;

public sealed class SortedRunProperties
{
    private static byte[] Key(Random r, bool shortKeys)
    {
        if (!shortKeys)
        {
            var k = new byte[32];
            r.NextBytes(k);
            return k;
        }
        // Short keys from a tiny alphabet: equal 8-byte prefixes, keys that end inside others, repeats.
        byte[] alphabet = [0x00, 0x01, 0x80, 0xff];
        var key = new byte[r.Next(0, 11)];
        for (int i = 0; i < key.Length; i++) key[i] = alphabet[r.Next(alphabet.Length)];
        return key;
    }

    private static void AssertSortsLikeTheModel(Random r, int count, bool shortKeys)
    {
        var run = new SortedRun();
        var model = new SortedDictionary<byte[], byte[]>(Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)));
        for (int i = 0; i < count; i++)
        {
            var key = Key(r, shortKeys);
            var value = model.TryGetValue(key, out var earlier) ? earlier : BitConverter.GetBytes(i); // content-addressed: a key keeps its value
            model[key] = value;
            run.Add(key, value);
        }
        run.Sort();
        Assert.Equal(model.Count, run.Count);
        int at = 0;
        foreach (var (key, value) in model)
        {
            Assert.Equal(key, run.Key(at).ToArray());
            Assert.Equal(value, run.Value(at).ToArray());
            at++;
        }
    }

    [Fact]
    public void Short_runs_sort_into_key_order_without_repeats() =>
        Gen.Int.Sample(seed =>
        {
            var r = new Random(seed);
            AssertSortsLikeTheModel(r, r.Next(0, 400), shortKeys: r.Next(2) == 0);
        }, iter: 300);

    /// <summary>Past the size where entries are bucketed by their top bits before sorting.</summary>
    [Fact]
    public void Long_runs_sort_into_key_order_without_repeats()
    {
        AssertSortsLikeTheModel(new Random(1), 100_000, shortKeys: false);
        AssertSortsLikeTheModel(new Random(2), 70_000, shortKeys: true);
    }

    [Fact]
    public void Entries_added_in_order_stay_put_and_a_cleared_run_starts_over()
    {
        var run = new SortedRun();
        run.Add([0x01], [0x0a]);
        run.Add([0x01, 0x00], [0x0b]);
        run.Add([0x02], [0x0c]);
        run.Sort();
        Assert.Equal(3, run.Count);
        Assert.Equal([0x01, 0x00], run.Key(1).ToArray());
        run.Clear();
        Assert.Equal(0, run.Count);
        run.Add([0x05], [0x01]);
        run.Add([0x03], [0x02]);
        run.Sort();
        Assert.Equal([0x03], run.Key(0).ToArray());
        Assert.Equal([0x02], run.Value(0).ToArray());
    }
}
