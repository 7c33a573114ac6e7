using System.Text.Json;
using BeamSync.Core;
using BeamSync.Core.Specs;

namespace BeamSync.Core.Tests;

public class ChainSpecFixtureNetworkTests
{
    /// <summary>
    /// Every network name in ../shared/fixtures (blockchain tests' "network", state tests' "post" keys, transaction
    /// tests' "result" keys), collected by scanning the folder, plus the transition networks the test suites define.
    /// </summary>
    public static TheoryData<string> FixtureNames() =>
    [
        "Frontier", "Homestead", "EIP150", "EIP158", "Byzantium", "Constantinople", "ConstantinopleFix", "Istanbul",
        "Berlin", "London", "Paris", "Merge", "Shanghai", "Cancun", "Prague", "Osaka",
        "FrontierToHomesteadAt5", "HomesteadToDaoAt5", "HomesteadToEIP150At5", "EIP158ToByzantiumAt5",
        "ByzantiumToConstantinopleFixAt5", "BerlinToLondonAt5", "ArrowGlacierToParisAtDiffC0000",
        "ParisToShanghaiAtTime15k", "ShanghaiToCancunAtTime15k", "CancunToPragueAtTime15k", "PragueToOsakaAtTime15k",
        "OsakaToBPO1AtTime15k", "BPO1ToBPO2AtTime15k", "BPO1", "BPO2", "ArrowGlacier", "GrayGlacier",
    ];

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void EveryFixtureNameIsKnown(string name)
    {
        Assert.True(FixtureNetworks.TryGet(name, out var spec));
        Assert.Equal(1UL, spec.ChainId);
        Assert.Equal(name, spec.Name);
    }

    [Fact]
    public void UnknownNamesAreRejected()
    {
        Assert.False(FixtureNetworks.TryGet("Amsterdam", out _));
        Assert.False(FixtureNetworks.TryGet("cancun", out _));
        Assert.False(FixtureNetworks.TryGet("", out _));
    }

    [Theory]
    [InlineData("Frontier", 100UL, 0UL, Fork.Frontier)]
    [InlineData("EIP150", 0UL, 0UL, Fork.TangerineWhistle)]
    [InlineData("EIP158", 0UL, 0UL, Fork.SpuriousDragon)]
    [InlineData("Constantinople", 1UL, 0UL, Fork.Constantinople)]
    [InlineData("ConstantinopleFix", 1UL, 0UL, Fork.Petersburg)]
    [InlineData("Istanbul", 1UL, 0UL, Fork.Istanbul)]
    [InlineData("Berlin", 1UL, 0UL, Fork.Berlin)]
    [InlineData("Paris", 1UL, 1UL, Fork.Paris)]
    [InlineData("Merge", 1UL, 1UL, Fork.Paris)]
    [InlineData("Osaka", 1UL, 1UL, Fork.Osaka)]
    [InlineData("FrontierToHomesteadAt5", 4UL, 0UL, Fork.Frontier)]
    [InlineData("FrontierToHomesteadAt5", 5UL, 0UL, Fork.Homestead)]
    [InlineData("HomesteadToDaoAt5", 4UL, 0UL, Fork.Homestead)]
    [InlineData("HomesteadToDaoAt5", 5UL, 0UL, Fork.Dao)]
    [InlineData("HomesteadToEIP150At5", 5UL, 0UL, Fork.TangerineWhistle)]
    [InlineData("EIP158ToByzantiumAt5", 4UL, 0UL, Fork.SpuriousDragon)]
    [InlineData("EIP158ToByzantiumAt5", 5UL, 0UL, Fork.Byzantium)]
    [InlineData("ByzantiumToConstantinopleFixAt5", 5UL, 0UL, Fork.Petersburg)]
    [InlineData("BerlinToLondonAt5", 4UL, 0UL, Fork.Berlin)]
    [InlineData("BerlinToLondonAt5", 5UL, 0UL, Fork.London)]
    [InlineData("ParisToShanghaiAtTime15k", 1UL, 14_999UL, Fork.Paris)]
    [InlineData("ParisToShanghaiAtTime15k", 2UL, 15_000UL, Fork.Shanghai)]
    [InlineData("ShanghaiToCancunAtTime15k", 2UL, 15_000UL, Fork.Cancun)]
    [InlineData("CancunToPragueAtTime15k", 1UL, 14_999UL, Fork.Cancun)]
    [InlineData("PragueToOsakaAtTime15k", 2UL, 15_000UL, Fork.Osaka)]
    public void TransitionsHappenWhereNamed(string name, ulong number, ulong timestamp, Fork expected)
    {
        Assert.True(FixtureNetworks.TryGet(name, out var spec));
        Assert.Equal(expected, spec.ForkAt(number, timestamp));
    }

    [Fact]
    public void DaoTransitionSupportsTheDaoFork()
    {
        Assert.True(FixtureNetworks.TryGet("HomesteadToDaoAt5", out var spec));
        Assert.Equal(5UL, spec.DaoForkBlock);
        Assert.True(spec.DaoForkSupport);
    }

    [Fact]
    public void DifficultyTransitionMergesOnTotalDifficulty()
    {
        Assert.True(FixtureNetworks.TryGet("ArrowGlacierToParisAtDiffC0000", out var spec));
        Assert.Equal(Fork.GrayGlacier, spec.ForkAt(6, 60));
        Assert.False(spec.ReachedTerminalTotalDifficulty(new UInt256(0xBFFFF)));
        Assert.True(spec.ReachedTerminalTotalDifficulty(new UInt256(0xC0000)));
        Assert.Equal(Fork.Paris, spec.ForkAt(6, 60, postMerge: true));
    }

    [Fact]
    public void BombDelaysFollowGethsTestNetworks()
    {
        Fork At(string name) => FixtureNetworks.TryGet(name, out var s) ? s.ForkAt(1, 0) : throw new KeyNotFoundException(name);
        Assert.Equal(5_000_000UL, ChainSpec.DifficultyBombDelay(At("Istanbul")));
        Assert.Equal(9_000_000UL, ChainSpec.DifficultyBombDelay(At("Berlin")));
        Assert.Equal(9_700_000UL, ChainSpec.DifficultyBombDelay(At("London")));
    }

    [Fact]
    public void FixtureConfigOverridesBlobScheduleAndChainId()
    {
        using var doc = JsonDocument.Parse("""
            {"blobSchedule": {"Cancun": {"baseFeeUpdateFraction": "0x32f0ed", "max": "0x06", "target": "0x03"},
                              "Osaka": {"baseFeeUpdateFraction": "0x4c6964", "max": "0x0a", "target": "0x07"}},
             "chainid": "0x07"}
            """);
        Assert.True(FixtureNetworks.TryGet("Osaka", doc.RootElement, out var spec));
        Assert.Equal(7UL, spec.ChainId);
        Assert.Equal(new BlobParameters(7, 10, 5007716), spec.BlobParametersAt(0));
        Assert.False(FixtureNetworks.TryGet("Nope", doc.RootElement, out _));
    }

    [Fact]
    public void BadFixtureConfigIsATypedError()
    {
        using var doc = JsonDocument.Parse("""{"blobSchedule": {"Cancun": {"max": "0x06", "target": "zz", "baseFeeUpdateFraction": 1}}}""");
        Assert.Throws<ChainSpecException>(() => FixtureNetworks.TryGet("Cancun", doc.RootElement, out _));
    }
}
