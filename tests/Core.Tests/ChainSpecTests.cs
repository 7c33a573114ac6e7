using BeamSync.Core;
using BeamSync.Core.Specs;

namespace BeamSync.Core.Tests;

public class ChainSpecTests
{
    internal static string ChainsDir => Path.Combine(FixturesRoot(), "chains");

    internal static string FixturesRoot() => BeamSync.Tests.Shared.TestFixtures.PathOf(".");

    [Fact]
    public void MainnetGenesisFileParses()
    {
        var spec = ChainSpec.Load(Path.Combine(ChainsDir, "mainnet", "genesis.json"));
        Assert.Equal(1UL, spec.ChainId);
        Assert.Equal(1_920_000UL, spec.DaoForkBlock);
        Assert.True(spec.DaoForkSupport);
        Assert.Equal(ConsensusEngine.Ethash, spec.Engine);
        Assert.Equal(UInt256.Parse("58750000000000000000000"), spec.TerminalTotalDifficulty);
        Assert.Equal(1746612311UL, spec.TimeOf(Fork.Prague));
        Assert.Null(spec.TimeOf(Fork.Osaka));
        var g = spec.Genesis!;
        Assert.Equal(0x42UL, g.Nonce);
        Assert.Equal(0x1388UL, g.GasLimit);
        Assert.Equal(new UInt256(0x400000000), g.Difficulty);
        Assert.Equal(32, g.ExtraData.Length);
        Assert.Null(g.BaseFeePerGas);
        Assert.Equal(8893, g.Alloc.Count);
        var first = g.Alloc[Address.Parse("0x000d836201318ec6899a67540690382780743280")];
        Assert.Equal(UInt256.Parse("0xad78ebc5ac6200000"), first.Balance);
        Assert.Empty(first.Code);
    }

    [Fact]
    public void HoodiGenesisHasCodeStorageAndDecimalTimestamp()
    {
        var spec = ChainSpec.Load(Path.Combine(ChainsDir, "hoodi", "genesis.json"));
        Assert.Equal(1742212800UL, spec.Genesis!.Timestamp);
        Assert.Equal(0x1234UL, spec.Genesis.Nonce);
        var deposit = spec.Genesis.Alloc[Address.Parse("0x00000000219ab540356cBB839Cbe05303d7705Fa")];
        Assert.NotEmpty(deposit.Code);
        Assert.Equal(
            UInt256.Parse("0xf5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b"),
            deposit.Storage[new UInt256(0x22)]);
        Assert.Equal(BlobParameters.PragueDefault, spec.BlobSchedule[Fork.Prague]);
    }

    [Theory]
    [InlineData("mainnet")]
    [InlineData("sepolia")]
    [InlineData("hoodi")]
    public void BuiltInNetworksAgreeWithTheirGenesisFiles(string name)
    {
        var spec = KnownNetworks.Load(name, Path.Combine(ChainsDir, name, "genesis.json"));
        Assert.NotNull(spec.Genesis);
        Assert.NotNull(spec.TimeOf(Fork.Bpo2));
        Assert.Equal(spec.ChainId, KnownNetworks.TryGet(name, out var builtIn) ? builtIn.ChainId : 0);
    }

    [Fact]
    public void GethEthtestGenesisSchedule()
    {
        var spec = ChainSpec.Load(Path.Combine(ChainsDir, "geth-ethtest", "genesis.json"));
        Assert.Equal(3503995874084926UL, spec.ChainId);
        Assert.Equal(new UInt256(0x3b9aca00), spec.Genesis!.BaseFeePerGas);
        // Post-merge from block 1, Shanghai at genesis, Cancun at 60, Prague at 120 (block 12).
        Assert.Equal(Fork.Shanghai, spec.ForkAt(1, 10, postMerge: true));
        Assert.Equal(Fork.Cancun, spec.ForkAt(6, 60));
        Assert.Equal(Fork.Cancun, spec.ForkAt(11, 119));
        Assert.Equal(Fork.Prague, spec.ForkAt(12, 120));
    }

    [Fact]
    public void RpcCompatChainCrossesEveryFork()
    {
        var spec = ChainSpec.Load(Path.Combine(FixturesRoot(), "rpc-compat", "genesis.json"));
        Assert.Equal(Fork.Homestead, spec.ForkAt(2, 0));
        Assert.Equal(Fork.TangerineWhistle, spec.ForkAt(3, 0));
        Assert.Equal(Fork.GrayGlacier, spec.ForkAt(33, 0, postMerge: false));
        Assert.Equal(Fork.Paris, spec.ForkAt(36, 0));
        Assert.Equal(Fork.Osaka, spec.ForkAt(50, 480));
        Assert.Equal(Fork.Bpo2, spec.ForkAt(60, 540));
        Assert.Equal(new BlobParameters(14, 21, 11684671), spec.BlobParametersAt(540));
        Assert.Equal(new BlobParameters(10, 15, 8346193), spec.BlobParametersAt(539));
        Assert.Null(spec.BlobParametersAt(419));
    }

    [Theory]
    [InlineData(0UL, 0UL, Fork.Frontier)]
    [InlineData(1_149_999UL, 0UL, Fork.Frontier)]
    [InlineData(1_150_000UL, 0UL, Fork.Homestead)]
    [InlineData(1_920_000UL, 0UL, Fork.Dao)]
    [InlineData(2_463_000UL, 0UL, Fork.TangerineWhistle)]
    [InlineData(2_675_000UL, 0UL, Fork.SpuriousDragon)]
    [InlineData(4_370_000UL, 0UL, Fork.Byzantium)]
    [InlineData(7_280_000UL, 0UL, Fork.Petersburg)]
    [InlineData(9_069_000UL, 0UL, Fork.Istanbul)]
    [InlineData(9_200_000UL, 0UL, Fork.MuirGlacier)]
    [InlineData(12_244_000UL, 0UL, Fork.Berlin)]
    [InlineData(12_965_000UL, 0UL, Fork.London)]
    [InlineData(13_773_000UL, 0UL, Fork.ArrowGlacier)]
    [InlineData(15_537_393UL, 1663224162UL, Fork.GrayGlacier)]
    [InlineData(15_537_394UL, 1663224179UL, Fork.Paris)]
    [InlineData(17_034_870UL, 1681338455UL, Fork.Shanghai)]
    [InlineData(19_426_587UL, 1710338135UL, Fork.Cancun)]
    [InlineData(22_431_084UL, 1746612311UL, Fork.Prague)]
    [InlineData(23_935_694UL, 1764798551UL, Fork.Osaka)]
    [InlineData(23_975_796UL, 1765290071UL, Fork.Bpo1)]
    [InlineData(24_000_000UL, 1767747671UL, Fork.Bpo2)]
    public void MainnetForkAt(ulong number, ulong timestamp, Fork expected)
    {
        Assert.Equal(expected, KnownNetworks.Mainnet.ForkAt(number, timestamp));
    }

    [Fact]
    public void SepoliaAndHoodiTodayRunBpo2()
    {
        Assert.Equal(Fork.Osaka, KnownNetworks.Sepolia.ForkAt(9_000_000, 1760427360));
        Assert.Equal(Fork.Prague, KnownNetworks.Sepolia.ForkAt(9_000_000, 1760427359));
        Assert.Equal(Fork.Bpo2, KnownNetworks.Sepolia.ForkAt(9_500_000, 1761607008));
        Assert.Equal(Fork.Cancun, KnownNetworks.Hoodi.ForkAt(0, 1742212800));
        Assert.Equal(Fork.Bpo1, KnownNetworks.Hoodi.ForkAt(1_500_000, 1762365720));
        Assert.True(KnownNetworks.Hoodi.IsActive(Fork.Osaka, 1_500_000, 1762365720));
        Assert.False(KnownNetworks.Hoodi.IsActive(Fork.Bpo2, 1_500_000, 1762365720));
    }

    [Fact]
    public void BlobParametersFollowTheSchedule()
    {
        var mainnet = KnownNetworks.Mainnet;
        Assert.Null(mainnet.BlobParametersAt(1710338134));
        Assert.Equal(BlobParameters.CancunDefault, mainnet.BlobParametersAt(1710338135));
        Assert.Equal(BlobParameters.PragueDefault, mainnet.BlobParametersAt(1746612311));
        Assert.Equal(new BlobParameters(10, 15, 8346193), mainnet.BlobParametersAt(1765290071));
        Assert.Equal(new BlobParameters(14, 21, 11684671), mainnet.BlobParametersAt(1767747671));
    }

    [Fact]
    public void BlobDefaultsApplyWithoutSchedule()
    {
        var spec = ChainSpec.Parse("""{"chainId": 7, "londonBlock": 0, "terminalTotalDifficulty": 0, "shanghaiTime": 0, "cancunTime": 10, "pragueTime": 20, "osakaTime": 30}""");
        Assert.Equal(BlobParameters.CancunDefault, spec.BlobParametersAt(10));
        Assert.Equal(BlobParameters.PragueDefault, spec.BlobParametersAt(25));
        Assert.Equal(BlobParameters.PragueDefault, spec.BlobParametersAt(35));
        Assert.Null(spec.Genesis);
    }

    [Fact]
    public void NumbersMayBeHexDecimalOrJsonNumbers()
    {
        var spec = ChainSpec.Parse("""
            {"config": {"chainId": "0x10", "homesteadBlock": "5", "eip150Block": 6, "terminalTotalDifficulty": "0x100000000000000000000"},
             "timestamp": "1742212800", "gasLimit": 30000000, "difficulty": "0x", "nonce": "0x000000000000000",
             "alloc": {"0x00000000000000000000000000000000000000aa": {"balance": "1000000000000000000000000", "nonce": "0x3",
                       "storage": {"0x01": "0x02", "00": "0x0000000000000000000000000000000000000000000000000000000000000003"}}}}
            """);
        Assert.Equal(16UL, spec.ChainId);
        Assert.Equal(5UL, spec.BlockOf(Fork.Homestead));
        Assert.Equal(6UL, spec.BlockOf(Fork.TangerineWhistle));
        Assert.Equal(UInt256.Parse("0x100000000000000000000"), spec.TerminalTotalDifficulty);
        Assert.Equal(1742212800UL, spec.Genesis!.Timestamp);
        Assert.Equal(30000000UL, spec.Genesis.GasLimit);
        Assert.True(spec.Genesis.Difficulty.IsZero);
        var account = spec.Genesis.Alloc[Address.Parse("0x00000000000000000000000000000000000000aa")];
        Assert.Equal(UInt256.Parse("1000000000000000000000000"), account.Balance);
        Assert.Equal(3UL, account.Nonce);
        Assert.Equal(new UInt256(2), account.Storage[UInt256.One]);
        Assert.Equal(new UInt256(3), account.Storage[UInt256.Zero]);
    }

    [Fact]
    public void PetersburgDefaultsToConstantinopleBlock()
    {
        var spec = ChainSpec.Parse("""{"chainId": 1, "byzantiumBlock": 0, "constantinopleBlock": 10}""");
        Assert.Equal(10UL, spec.BlockOf(Fork.Petersburg));
        Assert.Equal(Fork.Petersburg, spec.ForkAt(10, 0));
    }

    [Fact]
    public void CliqueSectionIsRead()
    {
        var spec = ChainSpec.Parse("""{"chainId": 5, "clique": {"period": 15, "epoch": 30000}}""");
        Assert.Equal(ConsensusEngine.Clique, spec.Engine);
        Assert.Equal((15UL, 30000UL), spec.Clique);
    }

    [Theory]
    [InlineData("", "invalid JSON")]
    [InlineData("{", "invalid JSON")]
    [InlineData("[]", "expected an object")]
    [InlineData("""{"config": {}}""", "chainId is missing")]
    [InlineData("""{"chainId": -1}""", "config.chainId")]
    [InlineData("""{"chainId": "0x1zz"}""", "config.chainId")]
    [InlineData("""{"chainId": "0x10000000000000000"}""", "does not fit 64 bits")]
    [InlineData("""{"chainId": 1, "homesteadBlock": true}""", "config.homesteadBlock")]
    [InlineData("""{"chainId": 1, "byzantiumBlock": 10, "berlinBlock": 5}""", "scheduled before")]
    [InlineData("""{"chainId": 1, "cancunBlock": 5}""", "unsupported fork")]
    [InlineData("""{"chainId": 1, "amsterdamTime": 5}""", "unsupported fork")]
    [InlineData("""{"chainId": 1, "bpo1Time": 5}""", "no entry")]
    [InlineData("""{"chainId": 1, "blobSchedule": {"cancun": {"target": 7, "max": 6, "baseFeeUpdateFraction": 1}}}""", "exceeds max")]
    [InlineData("""{"chainId": 1, "blobSchedule": {"cancun": {"target": 3, "max": 6}}}""", "baseFeeUpdateFraction is missing")]
    [InlineData("""{"chainId": 1, "depositContractAddress": "0x1234"}""", "20-byte")]
    [InlineData("""{"config": {"chainId": 1}, "mixHash": "0x12"}""", "32-byte")]
    [InlineData("""{"config": {"chainId": 1}, "extraData": "0xzz"}""", "not hex")]
    [InlineData("""{"config": {"chainId": 1}, "alloc": {"0xnothex": {"balance": "1"}}}""", "alloc[0xnothex]")]
    [InlineData("""{"config": {"chainId": 1}, "alloc": {"0x00000000000000000000000000000000000000aa": {"balance": "1"}, "00000000000000000000000000000000000000AA": {"balance": "2"}}}""", "listed twice")]
    [InlineData("""{"config": {"chainId": 1}, "alloc": {"0x00000000000000000000000000000000000000aa": {"storage": {"0x01": 5}}}}""", "expected a string")]
    [InlineData("""{"config": {"chainId": 1}, "alloc": {"0x00000000000000000000000000000000000000aa": {"storage": {"0x0102030405060708091011121314151617181920212223242526272829303132aa": "0x1"}}}}""", "at most 32 bytes")]
    public void BadInputIsATypedErrorNamingTheField(string json, string expectedInMessage)
    {
        var e = Assert.Throws<ChainSpecException>(() => ChainSpec.Parse(json));
        Assert.Contains(expectedInMessage, e.Message);
    }

    [Fact]
    public void DeeplyNestedJsonIsRejectedNotOverflowed()
    {
        string json = "{\"config\":" + new string('[', 10_000) + new string(']', 10_000) + "}";
        Assert.Throws<ChainSpecException>(() => ChainSpec.Parse(json));
    }

    [Fact]
    public void MissingFileIsATypedError()
    {
        var e = Assert.Throws<ChainSpecException>(() => ChainSpec.Load("/nonexistent/genesis.json"));
        Assert.Contains("/nonexistent/genesis.json", e.Message);
    }

    [Fact]
    public void BuiltInLoadRejectsAnotherNetworksFile()
    {
        var e = Assert.Throws<ChainSpecException>(() => KnownNetworks.Load("mainnet", Path.Combine(ChainsDir, "sepolia", "genesis.json")));
        Assert.Contains("chain id", e.Message);
    }

    [Fact]
    public void ScheduleConstructorRejectsWrongTriggers()
    {
        Assert.Throws<ChainSpecException>(() => new ChainSpec(1, [new ForkActivation(Fork.Shanghai, ForkTrigger.Block, 5)]));
        Assert.Throws<ChainSpecException>(() => new ChainSpec(1, [new ForkActivation(Fork.London, ForkTrigger.Timestamp, 5)]));
        Assert.Throws<ChainSpecException>(() => new ChainSpec(1, [new ForkActivation(Fork.Paris, ForkTrigger.Block, 5)]));
        Assert.Throws<ChainSpecException>(() => new ChainSpec(1, [new ForkActivation(Fork.London, ForkTrigger.Block, 5), new ForkActivation(Fork.London, ForkTrigger.Block, 6)]));
    }

    [Theory]
    [InlineData(Fork.Homestead, 0UL)]
    [InlineData(Fork.Byzantium, 3_000_000UL)]
    [InlineData(Fork.Petersburg, 5_000_000UL)]
    [InlineData(Fork.Istanbul, 5_000_000UL)]
    [InlineData(Fork.Berlin, 9_000_000UL)]
    [InlineData(Fork.London, 9_700_000UL)]
    [InlineData(Fork.ArrowGlacier, 10_700_000UL)]
    [InlineData(Fork.GrayGlacier, 11_400_000UL)]
    public void BombDelays(Fork fork, ulong delay) => Assert.Equal(delay, ChainSpec.DifficultyBombDelay(fork));
}
