using BeamSync.Core;
using BeamSync.Db;
using BeamSync.Trie;

namespace BeamSync.Cli.Tests;

/// <summary><c>beamsync verify-state</c> on a RocksDB datadir: a complete state passes; a node corrupted on disk, an absent one and a mark over them are found.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class VerifyStateCommandTests
{
    /// <summary>A state of accounts (some with storage and code) committed into a RocksDB store at <paramref name="datadir"/>.</summary>
    private static Hash256 WriteState(string datadir)
    {
        var r = new Random(12);
        var allocs = new List<AccountAlloc>();
        for (int i = 0; i < 400; i++)
        {
            var address = new byte[20];
            r.NextBytes(address);
            var storage = new Dictionary<UInt256, UInt256>();
            if (i % 5 == 0)
                for (int s = 0; s < 20; s++) storage[new UInt256((ulong)r.Next())] = new UInt256((ulong)r.Next(1, int.MaxValue));
            byte[] code = i % 7 == 0 ? [0x60, (byte)i, 0x00] : [];
            allocs.Add(new AccountAlloc(new Address(address), (ulong)i, new UInt256((ulong)r.Next()), code, storage));
        }
        using var store = RocksKeyValueStore.Open(datadir);
        using var batch = store.StartBatch();
        var root = StateTrieBuilder.ComputeRoot(allocs, new BatchNodeSink(batch), (h, c) => batch.Put(Column.Code, h.Bytes, c));
        batch.Commit();
        return root;
    }

    [Fact]
    public void A_node_corrupted_on_disk_an_absent_one_and_the_marks_above_them_are_reported()
    {
        using var temp = new TempFolder();
        var datadir = Path.Combine(temp.Path, "db");
        var root = WriteState(datadir);
        var (exit, output) = ConsoleCapture.Run("verify-state", "--datadir", datadir, "--root", root.ToString(), "--marks");
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains(": 0 absent, 0 corrupt", output);
        Assert.Contains("marks: 0 confirmed, 0 false", output);

        Hash256 corrupt, absent;
        using (var store = RocksKeyValueStore.Open(datadir))
        {
            // A backfill that found the state complete marked it...
            var marking = new MissingNodeWalker(new StoreNodeSource(store), AccountLeafDescender.Instance, marks: new CompletenessMarks(store));
            Assert.Empty(marking.Walk(root));
            Assert.True(marking.Completion!.MarksWritten > 1);
            // ...then the disk flipped a bit of one node and lost another.
            var rootNode = (BranchNode)NodeDecoder.Decode(root, store.Get(Column.TrieNodes, root.Bytes)!);
            corrupt = ((HashNode)rootNode.Children[9]!).Hash;
            absent = ((HashNode)rootNode.Children[2]!).Hash;
            var bytes = store.Get(Column.TrieNodes, corrupt.Bytes)!;
            bytes[bytes.Length / 2] ^= 0x10;
            store.Put(Column.TrieNodes, corrupt.Bytes, bytes);
            store.Delete(Column.TrieNodes, absent.Bytes);
        }

        (exit, output) = ConsoleCapture.Run("verify-state", "--datadir", datadir, "--root", root.ToString(), "--marks");
        Assert.Equal(ExitCodes.Rejected, exit);
        Assert.Contains($"corrupt {corrupt} in the ", output);
        Assert.Contains($"absent {absent} in the ", output);
        Assert.Contains($"false mark {root}", output);
        Assert.Contains(": 1 absent, 1 corrupt", output);
        // Without --marks the walk is the same and says nothing of marks.
        (exit, output) = ConsoleCapture.Run("verify-state", "--datadir", datadir, "--root", root.ToString());
        Assert.Equal(ExitCodes.Rejected, exit);
        Assert.DoesNotContain("mark", output);
    }
}
