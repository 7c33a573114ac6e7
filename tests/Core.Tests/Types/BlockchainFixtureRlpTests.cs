using System.Text.Json;
using BeamSync.Core.Types;
using BeamSync.Tests.Shared;

namespace BeamSync.Core.Tests.Types;

/// <summary>
/// Every block of the blockchain fixtures that is meant to decode: its RLP must decode, re-encode to the same
/// bytes, hash to the fixture's header hash, and each transaction must recover the fixture's sender. Covers headers of every fork from Frontier to Cancun and bodies
/// with every transaction type of those forks.
/// </summary>
public class BlockchainFixtureRlpTests
{
    public static TheoryData<string> Folders() => new() { "eest/blockchain_tests", "ethereum-tests/BlockchainTests" };

    [Theory]
    [MemberData(nameof(Folders))]
    public void ValidBlocksRoundTripAndHash(string folder)
    {
        int blocks = 0;
        foreach (var file in Directory.EnumerateFiles(TestFixtures.PathOf(folder), "*.json", SearchOption.AllDirectories))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            foreach (var test in doc.RootElement.EnumerateObject())
            {
                if (!test.Value.TryGetProperty("blocks", out var list)) continue;
                foreach (var entry in list.EnumerateArray())
                {
                    // Blocks the fixture expects to be rejected may be malformed on purpose.
                    if (entry.TryGetProperty("expectException", out _) || !entry.TryGetProperty("blockHeader", out var header)) continue;
                    var rlp = Hex.Parse(entry.GetProperty("rlp").GetString()!);
                    var block = Block.Decode(rlp);
                    Assert.True(rlp.AsSpan().SequenceEqual(block.Encode()), $"{file} {test.Name}: re-encoding differs");
                    Assert.Equal(Hash256.Parse(header.GetProperty("hash").GetString()!), block.Hash);
                    if (entry.TryGetProperty("transactions", out var txs))
                    {
                        int i = 0;
                        foreach (var tx in txs.EnumerateArray())
                        {
                            if (tx.TryGetProperty("sender", out var sender))
                                Assert.Equal(Address.Parse(sender.GetString()!), block.Transactions[i].Sender);
                            i++;
                        }
                        Assert.Equal(i, block.Transactions.Length);
                    }
                    blocks++;
                }
            }
        }
        Assert.True(blocks > 100, $"only {blocks} blocks found under {folder}");
    }
}
