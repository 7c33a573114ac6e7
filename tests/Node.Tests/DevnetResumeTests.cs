using BeamSync.Core;
using BeamSync.Db;
using BeamSync.Node.Devnet;
using static BeamSync.Node.Tests.DevnetTestSupport;

namespace BeamSync.Node.Tests;

public class DevnetResumeTests
{
    [Fact]
    public void A_producer_reopened_on_its_store_makes_the_blocks_an_uninterrupted_one_makes()
    {
        var options = Small() with { TransactionsPerBlock = 60 };
        var uninterrupted = OnExecutionThread(() =>
        {
            using var store = new MemoryKeyValueStore();
            using var producer = new DevnetProducer(DevnetState.Generate(options), store);
            return Enumerable.Range(0, 6).Select(_ => producer.ProduceBlock().Block.Hash).ToList();
        });

        var resumed = OnExecutionThread(() =>
        {
            using var store = new MemoryKeyValueStore();
            var hashes = new List<Hash256>();
            using (var first = new DevnetProducer(DevnetState.Generate(options), store))
                for (int i = 0; i < 3; i++) hashes.Add(first.ProduceBlock().Block.Hash);
            using var second = new DevnetProducer(DevnetState.Generate(options), store);
            Assert.Null(second.GenesisWrite);
            Assert.Equal(3UL, second.Head.Number);
            for (int i = 0; i < 3; i++)
            {
                var produced = second.ProduceBlock();
                Assert.Equal(60, produced.Block.Transactions.Length); // the workload's nonces were right: nothing skipped
                hashes.Add(produced.Block.Hash);
            }
            return hashes;
        });

        Assert.Equal(uninterrupted, resumed);
    }

    [Theory]
    [InlineData("seed")]
    [InlineData("accounts")]
    [InlineData("txs-per-block")]
    public void A_store_made_with_other_options_is_refused_with_the_difference_named(string option)
    {
        var options = Small();
        using var store = new MemoryKeyValueStore();
        OnExecutionThread(() =>
        {
            using var producer = new DevnetProducer(DevnetState.Generate(options), store);
            return producer.ProduceBlock();
        });
        var other = option switch
        {
            "seed" => options with { Seed = options.Seed + 1 },
            "accounts" => options with { Accounts = options.Accounts + 100 },
            _ => options with { TransactionsPerBlock = options.TransactionsPerBlock - 1 },
        };

        var e = Assert.Throws<DevnetOptionsMismatchException>(() => new DevnetProducer(DevnetState.Generate(other), store));
        Assert.StartsWith($"the datadir's devnet was made with other options: {option} ", e.Message);
    }

    [Fact]
    public void A_store_without_a_resume_record_is_refused()
    {
        var options = Small();
        using var store = new MemoryKeyValueStore();
        OnExecutionThread(() =>
        {
            using var producer = new DevnetProducer(DevnetState.Generate(options), store);
            return producer.ProduceBlock();
        });
        store.Delete(Column.Metadata, "devnet-options"u8);

        Assert.Throws<DevnetOptionsMismatchException>(() => new DevnetProducer(DevnetState.Generate(options), store));
    }
}
