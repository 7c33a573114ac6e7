using System.Text.Json;
using BeamSync.Chain.Execution;
using BeamSync.Chain.Specs;
using BeamSync.Chain.Store;
using BeamSync.Chain.Validation;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Evm;
using BeamSync.Tests.Shared;

namespace BeamSync.Chain.Tests;

/// <summary>
/// The hive rpc-compat chain: 54 blocks from clients crossing every fork from Homestead (proof of work, test-sealed)
/// through the merge at block 36 to Osaka (time 480), BPO1 (510) and BPO2 (540), imported with full execution.
/// Skipped silently when the fixture is absent outside CI.
/// </summary>
public class RpcCompatChainTests
{
    private const string Folder = "rpc-compat";

    private static (ChainSpec Spec, List<Block> Blocks, Hash256 ExpectedHead) Load()
    {
        var dir = TestFixtures.PathOf(Folder);
        var (spec, blocks) = TestChains.LoadChainFile(dir);
        using var fcu = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "headfcu.json")));
        var head = Hash256.Parse(fcu.RootElement.GetProperty("params")[0].GetProperty("headBlockHash").GetString()!);
        return (spec, blocks, head);
    }

    [FixtureFact("rpc-compat")]
    public void EveryBlockImportsToTheHeadTheForkchoiceNames()
    {
        var (spec, blocks, expectedHead) = Load();
        LargeStack.Run(() =>
        {
            var store = new MemoryKeyValueStore();
            var chain = new Blockchain(spec, new BlockStore(store), new EvmStateFactory(store));
            chain.InitializeGenesis();
            foreach (var block in blocks) Assert.True(chain.Import(block), $"block {block.Number} did not become the head");
            Assert.Equal(54UL, chain.Head!.Number);
            Assert.Equal(expectedHead, chain.Head.Hash);
            Assert.Equal(Hash256.Parse("0x6da8f636cdc85dbe8c1b5299e5db22f462c041febaf3b78cac1040152ee30b3b"), chain.Head.StateRoot);
        });
    }

    [FixtureFact("rpc-compat")]
    public void TheChainCrossesOsakaAndBothBlobParameterForks()
    {
        var (spec, blocks, _) = Load();
        var head = blocks[^1].Header;
        Assert.Equal(Fork.Bpo2, spec.ForkOf(head.Number, head.Timestamp, UInt256.MaxValue));
        Assert.Equal(new BlobParameters(6, 9, 5007716), spec.BlobParametersOf(480, Fork.Osaka));
        Assert.Equal(new BlobParameters(10, 15, 8346193), spec.BlobParametersOf(510, Fork.Bpo1));
        Assert.Equal(new BlobParameters(14, 21, 11684671), spec.BlobParametersOf(head.Timestamp, Fork.Bpo2));
        Assert.Equal(21UL, EvmStateFactory.BlockContextOf(head, Fork.Bpo2, spec, _ => null).BlobParameters!.Value.Max);
    }

    /// <summary>
    /// A parent whose execution base fee makes blobs cheaper than the EIP-7918 reserve price: from Osaka the child's
    /// excess grows by used·(max−target)/max instead of falling to used+excess−target; before Osaka it does not.
    /// </summary>
    [FixtureTheory("rpc-compat")]
    [InlineData(true)]
    [InlineData(false)]
    public void TheReservePriceRaisesExcessBlobGasOnlyFromOsaka(bool osaka)
    {
        var (spec, blocks, _) = Load();
        // Blocks at or after time 480 are Osaka; pick a consecutive pair on the wanted side of it (before BPO1).
        int index = blocks.FindIndex(b => b.Header.Timestamp >= (osaka ? 480UL : 450UL));
        var realParent = blocks[index].Header;
        var realChild = blocks[index + 1].Header;
        var fork = spec.ForkOf(realChild.Number, realChild.Timestamp, UInt256.MaxValue);
        Assert.Equal(osaka ? Fork.Osaka : Fork.Prague, fork);

        var parent = (HeaderFields.From(realParent) with
        {
            BaseFee = new UInt256(1_000_000_000_000), ExcessBlobGas = 0, BlobGasUsed = 6 * BlobGas.GasPerBlob,
        }).ToHeader();
        var child = HeaderFields.From(realChild) with { ParentHash = parent.Hash, BaseFee = BaseFee.Calculate(parent, true) };
        ulong withReserve = 6 * BlobGas.GasPerBlob * (9 - 6) / 9, withoutReserve = 0;
        var validator = new HeaderValidator(spec);

        validator.Validate((child with { ExcessBlobGas = osaka ? withReserve : withoutReserve }).ToHeader(), parent, fork, fork);
        var wrong = (child with { ExcessBlobGas = osaka ? withoutReserve : withReserve }).ToHeader();
        var error = Assert.Throws<InvalidBlockException>(() => validator.Validate(wrong, parent, fork, fork));
        Assert.Equal(BlockError.InvalidExcessBlobGas, error.Error);
    }

    [FixtureTheory("rpc-compat")]
    [InlineData(Fork.Osaka, BlockError.BlockRlpTooLarge)]
    [InlineData(Fork.Prague, BlockError.OmmersHashMismatch)]
    public void ABlockAboveEightMebibytesOfRlpIsRejectedFromOsaka(Fork fork, BlockError expected)
    {
        var (spec, blocks, _) = Load();
        var header = blocks[^1].Header;
        // Enough copies of a header to pass MAX_RLP_BLOCK_SIZE; the ommers hash no longer matches either.
        int copies = BodyValidator.MaxRlpBlockSize / header.EncodedLength + 1;
        var uncles = new BlockHeader[copies];
        Array.Fill(uncles, header);
        var block = new Block(header, new BlockBody([], uncles, []));
        Assert.True(block.EncodedLength > BodyValidator.MaxRlpBlockSize);

        var store = new MemoryKeyValueStore();
        var chain = new Blockchain(spec, new BlockStore(store), new EvmStateFactory(store));
        var validator = new BodyValidator(new HeaderValidator(spec), h => spec.ForkOf(h.Number, h.Timestamp, UInt256.MaxValue));
        var error = Assert.Throws<InvalidBlockException>(() => validator.Validate(block, fork, chain));
        Assert.Equal(expected, error.Error);
    }

    [Fact]
    public void MaxRlpBlockSizeIsTenMebibytesLessTheTwoMebibyteMargin() =>
        Assert.Equal(8_388_608, BodyValidator.MaxRlpBlockSize);
}
