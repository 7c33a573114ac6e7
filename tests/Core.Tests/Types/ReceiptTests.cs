using System.Text.Json;
using BeamSync.Core.Types;
using BeamSync.Tests.Shared;

namespace BeamSync.Core.Tests.Types;

public class ReceiptTests
{
    [Fact]
    public void ReceiptsRoundTripInEveryForm()
    {
        var logs = new[] { Samples.SampleLog(1), Samples.SampleLog(2) };
        var receipts = new[]
        {
            Receipt.Create(TransactionType.Legacy, true, 21_000, logs),
            Receipt.Create(TransactionType.DynamicFee, false, 42_000, []),
            Receipt.Create(TransactionType.SetCode, true, 99_000, logs),
            new Receipt { PostState = Hash256.EmptyTrieRoot, CumulativeGasUsed = 5, Bloom = Receipt.ComputeBloom(logs), Logs = logs },
        };
        foreach (var receipt in receipts)
        {
            var canonical = receipt.EncodeCanonical();
            var decoded = Receipt.DecodeCanonical(canonical);
            Assert.Equal(canonical, decoded.EncodeCanonical());
            Assert.Equal(receipt.Success, decoded.Success);
            Assert.Equal(receipt.PostState, decoded.PostState);
            Assert.Equal(receipt.Bloom, decoded.Bloom);

            var inList = new byte[receipt.LengthInList];
            var writer = new RlpWriter(inList);
            receipt.WriteInList(ref writer);
            var reader = new RlpReader(inList);
            Assert.Equal(canonical, Receipt.ReadFromList(ref reader).EncodeCanonical());
            reader.EnsureEnd();
        }
    }

    [Fact]
    public void StatusOtherThanEmptyOneOrRootIsRejected()
    {
        var bad = Rlp.EncodeList(Rlp.EncodeBytes([0x02]), Rlp.Encode(1UL), Rlp.EncodeBytes(new byte[256]), Rlp.EmptyList);
        Assert.Throws<RlpException>(() => Receipt.DecodeCanonical(bad));
    }

    [Fact]
    public void BloomOfRealReceiptsMatchesTheirStoredBloom()
    {
        // debug_getRawReceipts answers of the rpc-compat chain: the node's own receipts, with blooms it computed.
        var path = TestFixtures.PathOf("rpc-compat/debug_getRawReceipts/get-block-n.io");
        var response = File.ReadLines(path).First(l => l.StartsWith("<<"))[2..];
        using var doc = JsonDocument.Parse(response);
        int checkedLogs = 0;
        foreach (var item in doc.RootElement.GetProperty("result").EnumerateArray())
        {
            var canonical = Hex.Parse(item.GetString()!);
            var receipt = Receipt.DecodeCanonical(canonical);
            Assert.Equal(canonical, receipt.EncodeCanonical());
            Assert.Equal(receipt.Bloom, Receipt.ComputeBloom(receipt.Logs));
            checkedLogs += receipt.Logs.Length;
        }
        Assert.True(checkedLogs > 0);
    }
}
