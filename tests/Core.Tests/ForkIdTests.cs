using System.Text.Json;
using BeamSync.Core;
using BeamSync.Core.Specs;

namespace BeamSync.Core.Tests;

public class ForkIdTests
{
    public static TheoryData<string, ulong, ulong, string, ulong, string> ForkIdEntries()
    {
        var data = new TheoryData<string, ulong, ulong, string, ulong, string>();
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(ChainSpecTests.ChainsDir, "forkid.json")));
        foreach (var network in doc.RootElement.GetProperty("networks").EnumerateObject())
            foreach (var e in network.Value.EnumerateArray())
                data.Add(network.Name, e.GetProperty("head").GetUInt64(), e.GetProperty("time").GetUInt64(),
                    e.GetProperty("forkHash").GetString()!, e.GetProperty("next").GetUInt64(), e.GetProperty("what").GetString()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(ForkIdEntries))]
    public void MatchesGethForEveryFixtureEntry(string network, ulong head, ulong time, string forkHash, ulong next, string what)
    {
        Assert.True(KnownNetworks.TryGet(network, out var spec), network);
        var id = ForkId.Compute(spec.KnownGenesisHash!.Value, spec, head, time);
        Assert.True(Convert.ToUInt32(forkHash, 16) == id.Hash, $"{network} {what}: hash {id.Hash:x8}, expected {forkHash}");
        Assert.True(next == id.Next, $"{network} {what}: next {id.Next}, expected {next}");
    }

    [Fact]
    public void FixtureCoversAllThreeNetworks()
    {
        Assert.True(ForkIdEntries().Count >= 60);
    }

    [Fact]
    public void HashBytesAreBigEndian()
    {
        Assert.Equal([0xfc, 0x64, 0xec, 0x04], new ForkId(0xfc64ec04, 1150000).HashBytes());
    }

    // EIP-2124's own validation examples, with mainnet's schedule, local head at the given block.
    private static readonly Hash256 Genesis = KnownNetworks.Mainnet.KnownGenesisHash!.Value;

    private static ForkIdValidation Check(ulong head, uint hash, ulong next, ulong time = 0) =>
        ForkId.Validate(Genesis, KnownNetworks.Mainnet, head, time, new ForkId(hash, next));

    [Fact]
    public void SameForkNoNextOrFutureNext()
    {
        // Local at Istanbul/Glacier boundary era (Petersburg), remote announces no fork or a future one.
        Assert.Equal(ForkIdValidation.Compatible, Check(7_987_396, 0x668db0af, 0));
        Assert.Equal(ForkIdValidation.Compatible, Check(7_987_396, 0x668db0af, ulong.MaxValue));
    }

    [Fact]
    public void RemoteSyncingAndAnnouncesTheForkWeTook()
    {
        // Local Petersburg; remote at Byzantium announcing Petersburg's block: it is just behind.
        Assert.Equal(ForkIdValidation.Compatible, Check(7_279_999 + 1, 0xa00bc324, 7_280_000));
    }

    [Fact]
    public void RemoteOnEarlierForkAnnouncingNothingIsStale()
    {
        // Local Petersburg; remote at Byzantium knows no next fork: it needs an update.
        Assert.Equal(ForkIdValidation.RemoteStale, Check(7_987_396, 0xa00bc324, 0));
    }

    [Fact]
    public void LocalSyncingRemoteAhead()
    {
        // Local at Spurious Dragon; remote already Petersburg: we are syncing.
        Assert.Equal(ForkIdValidation.Compatible, Check(4_369_999, 0x668db0af, 0));
        // Local Byzantium, remote Petersburg: the superset rule.
        Assert.Equal(ForkIdValidation.Compatible, Check(7_279_999, 0x668db0af, 0));
    }

    [Fact]
    public void RemoteAnnouncesAForkWePassedWithoutIt()
    {
        // Same hash (Petersburg), but the remote's next fork is a block we already passed.
        Assert.Equal(ForkIdValidation.LocalIncompatibleOrStale, Check(7_987_396, 0x668db0af, 7_279_999));
        // Timestamp-announced variant: remote on Cancun announcing a fork time we are past.
        Assert.Equal(ForkIdValidation.LocalIncompatibleOrStale, Check(30_000_000, 0x9f3d2254, 1_746_000_000, time: 1_746_100_000));
    }

    [Fact]
    public void UnknownHashIsAnotherChain()
    {
        Assert.Equal(ForkIdValidation.LocalIncompatibleOrStale, Check(7_987_396, 0xafec6b27, 0));
        var sepolia = KnownNetworks.Sepolia;
        var theirs = ForkId.Compute(sepolia.KnownGenesisHash!.Value, sepolia, 1_735_372, 1_762_000_000);
        Assert.Equal(ForkIdValidation.LocalIncompatibleOrStale, Check(30_000_000, theirs.Hash, theirs.Next, time: 1_768_000_000));
    }

    [Fact]
    public void FullySyncedPeersOnTheSameScheduleAgree()
    {
        var mainnet = KnownNetworks.Mainnet;
        ulong time = 1_768_000_000;
        var ours = ForkId.Compute(Genesis, mainnet, 24_000_000, time);
        Assert.Equal(ForkIdValidation.Compatible, Check(24_000_000, ours.Hash, ours.Next, time));
        // A peer still on BPO1 that knows BPO2 is coming: it is behind, not broken.
        var behind = ForkId.Compute(Genesis, mainnet, 24_000_000, 1765290071);
        Assert.Equal(ForkIdValidation.Compatible, Check(24_000_000, behind.Hash, behind.Next, time));
        // The same peer without BPO2 in its schedule is stale.
        Assert.Equal(ForkIdValidation.RemoteStale, Check(24_000_000, behind.Hash, 0, time));
    }
}
