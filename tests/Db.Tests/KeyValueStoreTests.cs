namespace BeamSync.Db.Tests;

public abstract class KeyValueStoreTests : IDisposable
{
    protected abstract IKeyValueStore Store { get; }
    public abstract void Dispose();

    /// <summary>Chunks far smaller than the stream, repeated keys (content-addressed data repeats them) and two columns.</summary>
    [Fact]
    public void Bounded_writer_lands_every_entry_across_many_chunks()
    {
        var r = new Random(5);
        var written = new Dictionary<string, (Column Column, byte[] Key, byte[] Value)>();
        using (var writer = new BoundedBatchWriter(Store, maxBatchBytes: 2048))
        {
            for (int i = 0; i < 3000; i++)
            {
                var column = i % 3 == 0 ? Column.Code : Column.TrieNodes;
                var key = new byte[32];
                r.NextBytes(key);
                var value = new byte[r.Next(1, 200)];
                r.NextBytes(value);
                writer.Put(column, key, value);
                written[$"{column}{Convert.ToHexString(key)}"] = (column, key, value);
                if (i % 10 == 0) writer.Put(column, key, value);
            }
            writer.Complete();
            Assert.Equal(3300, writer.Count);
            Assert.Throws<ObjectDisposedException>(() => writer.Put(Column.Code, [1], [1]));
        }
        foreach (var (column, key, value) in written.Values) Assert.Equal(value, Store.Get(column, key));
        Assert.Null(Store.Get(Column.Headers, written.Values.First().Key));
    }

    [Fact]
    public void Put_get_has_delete()
    {
        byte[] key = [1, 2, 3];
        Assert.Null(Store.Get(Column.Code, key));
        Assert.False(Store.Has(Column.Code, key));
        Store.Put(Column.Code, key, [9, 9]);
        Assert.Equal([9, 9], Store.Get(Column.Code, key));
        Assert.True(Store.Has(Column.Code, key));
        Assert.False(Store.Has(Column.Headers, key)); // columns are separate key spaces
        Store.Delete(Column.Code, key);
        Assert.Null(Store.Get(Column.Code, key));
    }

    [Fact]
    public void Get_into_span_reports_length_and_absence()
    {
        Store.Put(Column.Metadata, [7], [1, 2, 3, 4]);
        Span<byte> small = stackalloc byte[2], big = stackalloc byte[8];
        Assert.Equal(4, Store.Get(Column.Metadata, [7], small));
        Assert.Equal(4, Store.Get(Column.Metadata, [7], big));
        Assert.Equal([1, 2, 3, 4], big[..4].ToArray());
        Assert.Equal(-1, Store.Get(Column.Metadata, [8], big));
    }

    [Fact]
    public void Iterate_by_prefix_in_key_order()
    {
        Store.Put(Column.CanonicalIndex, [1, 5], [5]);
        Store.Put(Column.CanonicalIndex, [1, 2], [2]);
        Store.Put(Column.CanonicalIndex, [2, 0], [0]);
        Store.Put(Column.CanonicalIndex, [1, 9, 9], [9]);
        Store.Put(Column.CanonicalIndex, [0, 1], [0]);
        var found = Store.Iterate(Column.CanonicalIndex, [1]).Select(kv => kv.Value[0]).ToArray();
        Assert.Equal([2, 5, 9], found);
    }

    [Fact]
    public void Batch_is_invisible_until_commit_and_discarded_on_dispose()
    {
        Store.Put(Column.Bodies, [3], [3]);
        using (var batch = Store.StartBatch())
        {
            batch.Put(Column.Bodies, [1], [1]);
            batch.Put(Column.Receipts, [2], [2]);
            batch.Delete(Column.Bodies, [3]);
            Assert.Equal(3, batch.Count);
            Assert.Null(Store.Get(Column.Bodies, [1]));
            batch.Commit();
        }
        Assert.Equal([1], Store.Get(Column.Bodies, [1]));
        Assert.Equal([2], Store.Get(Column.Receipts, [2]));
        Assert.Null(Store.Get(Column.Bodies, [3]));

        using (var discarded = Store.StartBatch()) discarded.Put(Column.Bodies, [4], [4]);
        Assert.Null(Store.Get(Column.Bodies, [4]));
    }
}

public sealed class MemoryKeyValueStoreTests : KeyValueStoreTests
{
    private readonly MemoryKeyValueStore _store = new();
    protected override IKeyValueStore Store => _store;
    public override void Dispose() => _store.Dispose();
}

public sealed class RocksKeyValueStoreTests : KeyValueStoreTests
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "beamsync-db-" + Guid.NewGuid().ToString("N"));
    private readonly RocksKeyValueStore _store;

    public RocksKeyValueStoreTests() => _store = RocksKeyValueStore.Open(_dir);
    protected override IKeyValueStore Store => _store;

    public override void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_dir, true);
    }

    [Fact]
    public void Data_survives_reopen()
    {
        _store.Put(Column.Headers, [1], [42]);
        _store.Dispose();
        using var reopened = RocksKeyValueStore.Open(_dir);
        Assert.Equal([42], reopened.Get(Column.Headers, [1]));
    }

    [Fact]
    public void Opening_a_store_held_by_another_handle_is_a_DbException()
    {
        var e = Assert.Throws<DbException>(() => RocksKeyValueStore.Open(_dir));
        Assert.Equal(_dir, e.Path);
    }
}
