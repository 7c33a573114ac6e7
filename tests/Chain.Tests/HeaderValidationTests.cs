using BeamSync.Chain;
using BeamSync.Chain.Specs;
using BeamSync.Chain.Store;
using BeamSync.Chain.Validation;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Tests.Shared;

namespace BeamSync.Chain.Tests;

public class HeaderValidationTests
{
    private static (ChainSpec Spec, List<Block> Blocks) LoadEthTest()
    {
        var dir = TestFixtures.PathOf("chains/geth-ethtest");
        var genesis = ChainSpec.Load(Path.Combine(dir, "genesis.json"));
        var blocks = ChainFile.Read(File.ReadAllBytes(Path.Combine(dir, "chain.rlp"))).ToList();
        return (genesis, blocks);
    }

    [FixtureFact("chains/geth-ethtest")]
    public void EveryHeaderOfTheGethTestChainValidatesAgainstItsParent()
    {
        var (genesis, blocks) = LoadEthTest();
        Assert.Equal(600, blocks.Count);
        var validator = new HeaderValidator(genesis);
        var ttd = genesis.TerminalTotalDifficulty!.Value;
        for (int i = 1; i < blocks.Count; i++)
        {
            var parent = blocks[i - 1].Header;
            var header = blocks[i].Header;
            validator.Validate(header, parent, genesis.ForkOf(header.Number, header.Timestamp, ttd),
                genesis.ForkOf(parent.Number, parent.Timestamp, ttd));
        }
        Assert.Equal(Hash256.Parse("0x44e3809c9a3cda717f00aea3a9da336d149612c8d5657fbc0028176ef8d94d2a"), blocks[^1].Hash);
    }

    [FixtureFact("chains/geth-ethtest")]
    public void TamperedHeadersAreRejectedWithTheirReason()
    {
        var (genesis, blocks) = LoadEthTest();
        var validator = new HeaderValidator(genesis);
        var parent = blocks[20].Header;
        var good = blocks[21].Header;
        var fork = genesis.ForkOf(good.Number, good.Timestamp, UInt256.MaxValue);
        void Expect(BlockError error, BlockHeader header) =>
            Assert.Equal(error, Assert.Throws<InvalidBlockException>(() => validator.Validate(header, parent, fork, fork)).Error);

        Expect(BlockError.InvalidBaseFee, Copy(good, h => h with { BaseFee = good.BaseFeePerGas!.Value + UInt256.One }));
        Expect(BlockError.GasLimitOutOfBounds, Copy(good, h => h with { GasLimit = parent.GasLimit + parent.GasLimit / 1024 }));
        Expect(BlockError.TimestampNotAfterParent, Copy(good, h => h with { Timestamp = parent.Timestamp }));
        Expect(BlockError.ExtraDataTooLong, Copy(good, h => h with { ExtraData = new byte[33] }));
        Expect(BlockError.InvalidPostMergeDifficulty, Copy(good, h => h with { Difficulty = UInt256.One }));
        Expect(BlockError.InvalidExcessBlobGas, Copy(good, h => h with { ExcessBlobGas = (good.ExcessBlobGas ?? 0) + BeamSync.Evm.BlobGas.GasPerBlob }));
        Expect(BlockError.BlobGasUsedNotMultipleOfBlobGas, Copy(good, h => h with { BlobGasUsed = 1 }));
        Expect(BlockError.GasUsedAboveGasLimit, Copy(good, h => h with { GasUsed = good.GasLimit + 1 }));
    }

    [Fact]
    public void BaseFeeFollowsEip1559()
    {
        var parent = new BlockHeader { GasLimit = 30_000_000, GasUsed = 15_000_000, BaseFeePerGas = 1_000_000_000UL };
        Assert.Equal(new UInt256(1_000_000_000), BaseFee.Calculate(parent, true));
        var full = Copy(parent, h => h with { GasUsed = 30_000_000 });
        Assert.Equal(new UInt256(1_125_000_000), BaseFee.Calculate(full, true));
        var empty = Copy(parent, h => h with { GasUsed = 0 });
        Assert.Equal(new UInt256(875_000_000), BaseFee.Calculate(empty, true));
        Assert.Equal(new UInt256(BaseFee.InitialBaseFee), BaseFee.Calculate(parent, false));
    }

    [Fact]
    public void DifficultyFollowsTheForkFormulas()
    {
        var parent = new BlockHeader { Difficulty = 131_072, Timestamp = 1000, Number = 0 };
        // Frontier: +parent/2048 under 13 seconds.
        Assert.Equal(new UInt256(131_072 + 64), Difficulty.Calculate(Fork.Frontier, 1012, 1, parent));
        // Homestead: 1 - 25/10 = -1 step, floored at the minimum.
        Assert.Equal(Difficulty.Minimum, Difficulty.Calculate(Fork.Homestead, 1025, 1, parent));
        var big = Copy(parent, h => h with { Difficulty = new UInt256(1) << 40 });
        // Byzantium with uncles in the parent: 2 - 9/9 = +1 step.
        var withUncles = Copy(big, h => h with { OmmersHash = Hash256.Zero });
        Assert.Equal((new UInt256(1) << 40) + ((new UInt256(1) << 40) / new UInt256(2048)), Difficulty.Calculate(Fork.Byzantium, 1009, 1, withUncles));
        // The bomb: block 200000 on Frontier adds 2^0.
        Assert.Equal(new UInt256(131_072 + 64 + 1), Difficulty.Calculate(Fork.Frontier, 1012, 200_000, parent));
        // Byzantium delays it by 3,000,000 blocks.
        Assert.Equal(new UInt256(131_072 + 64), Difficulty.Calculate(Fork.Byzantium, 1008, 200_000, parent));
    }

    [Theory]
    [InlineData("Cancun", Fork.Cancun, 5, 20000, 0)]
    [InlineData("BerlinToLondonAt5", Fork.Berlin, 4, 0, 0)]
    [InlineData("BerlinToLondonAt5", Fork.London, 5, 0, 0)]
    [InlineData("ShanghaiToCancunAtTime15k", Fork.Cancun, 5, 15_000, 0)]
    [InlineData("ArrowGlacierToParisAtDiffC0000", Fork.GrayGlacier, 3, 0, 0xBFFFF)]
    [InlineData("ArrowGlacierToParisAtDiffC0000", Fork.Paris, 4, 0, 0xC0000)]
    public void TheForkOfABlockFollowsTheFixtureNetworkAndTotalDifficulty(string network, Fork expected, ulong number, ulong timestamp, ulong parentTd)
    {
        Assert.True(FixtureNetworks.TryGet(network, out var spec));
        Assert.Equal(expected, spec.ForkOf(number, timestamp, parentTd));
    }

    [FixtureFact("chains/geth-ethtest/genesis.json")]
    public void TheGethTestGenesisHeaderFollowsGethsRules()
    {
        var path = TestFixtures.PathOf("chains/geth-ethtest/genesis.json");
        var header = BeamSync.Chain.Genesis.GenesisBlock.Header(ChainSpec.Load(path), Hash256.Zero);
        Assert.Equal(Hash256.EmptyTrieRoot, header.WithdrawalsRoot);
        Assert.Null(header.BlobGasUsed); // Cancun starts at 60
        Assert.Equal(new UInt256(1_000_000_000), header.BaseFeePerGas);
    }

    /// <summary>A header with some fields replaced.</summary>
    private static BlockHeader Copy(BlockHeader h, Func<HeaderFields, HeaderFields> change) => change(HeaderFields.From(h)).ToHeader();
}
