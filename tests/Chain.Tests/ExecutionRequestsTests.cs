using System.Buffers.Binary;
using System.Security.Cryptography;
using BeamSync.Chain.Processing;
using BeamSync.Core;
using BeamSync.Core.Types;

namespace BeamSync.Chain.Tests;

public class ExecutionRequestsTests
{
    private static readonly Address DepositContract = Address.Parse("0x00000000219ab540356cBB839Cbe05303d7705Fa");
    private static readonly Hash256 DepositTopic = Hash256.Parse("0x649bbc62d0e31342afea4e5cd82d4049e7e1ee912fc0889aa790803be39038c5");

    [Fact]
    public void NoRequestsHashToSha256OfNothing() =>
        // EIP-7685's empty requests hash.
        Assert.Equal(Hash256.Parse("0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), ExecutionRequests.Hash([], [], []));

    [Fact]
    public void EmptyRequestTypesAreLeftOut()
    {
        byte[] withdrawals = [1, 2, 3];
        var inner = SHA256.HashData([ExecutionRequests.WithdrawalType, 1, 2, 3]);
        Assert.Equal(new Hash256(SHA256.HashData(inner)), ExecutionRequests.Hash([], withdrawals, []));
    }

    /// <summary>DepositEvent's ABI data: five offsets, then each field's length word and bytes padded to 32.</summary>
    private static byte[] DepositLogData(byte fill)
    {
        var data = new byte[576];
        (int Offset, int Length)[] fields = [(160, 48), (256, 32), (320, 8), (384, 96), (512, 8)];
        for (int i = 0; i < fields.Length; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(i * 32 + 24), (ulong)fields[i].Offset);
            BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(fields[i].Offset + 24), (ulong)fields[i].Length);
            data.AsSpan(fields[i].Offset + 32, fields[i].Length).Fill((byte)(fill + i));
        }
        return data;
    }

    private static Receipt ReceiptWith(params Log[] logs) => Receipt.Create(TransactionType.Legacy, true, 21_000, logs);

    [Fact]
    public void DepositLogsBecomeConcatenatedRequestsAndOtherLogsAreIgnored()
    {
        var receipts = new[]
        {
            ReceiptWith(new Log(DepositContract, [DepositTopic], DepositLogData(0x10)),
                new Log(Address.Parse("0x0000000000000000000000000000000000000001"), [DepositTopic], DepositLogData(0x50))),
            ReceiptWith(new Log(DepositContract, [Hash256.Zero], DepositLogData(0x60)), new Log(DepositContract, [DepositTopic], DepositLogData(0x20))),
        };
        var requests = ExecutionRequests.Deposits(receipts, DepositContract);
        Assert.Equal(2 * 192, requests.Length);
        // pubkey (48) ‖ withdrawal credentials (32) ‖ amount (8) ‖ signature (96) ‖ index (8), for each deposit in order.
        Assert.All(requests[..48], b => Assert.Equal(0x10, b));
        Assert.All(requests[48..80], b => Assert.Equal(0x11, b));
        Assert.All(requests[80..88], b => Assert.Equal(0x12, b));
        Assert.All(requests[88..184], b => Assert.Equal(0x13, b));
        Assert.All(requests[184..192], b => Assert.Equal(0x14, b));
        Assert.All(requests[192..240], b => Assert.Equal(0x20, b));
    }

    [Theory]
    [InlineData(0)]      // an offset word
    [InlineData(160)]    // the pubkey's length word
    [InlineData(512)]    // the index's length word
    public void AMalformedDepositLogMakesTheBlockInvalid(int word)
    {
        var data = DepositLogData(0x10);
        data[word + 31] ^= 0x40;
        var receipts = new[] { ReceiptWith(new Log(DepositContract, [DepositTopic], data)) };
        Assert.Equal(BlockError.InvalidDepositLog, Assert.Throws<InvalidBlockException>(() => ExecutionRequests.Deposits(receipts, DepositContract)).Error);
    }

    [Fact]
    public void ADepositLogOfTheWrongSizeMakesTheBlockInvalid()
    {
        var receipts = new[] { ReceiptWith(new Log(DepositContract, [DepositTopic], DepositLogData(0x10)[..544])) };
        Assert.Equal(BlockError.InvalidDepositLog, Assert.Throws<InvalidBlockException>(() => ExecutionRequests.Deposits(receipts, DepositContract)).Error);
    }
}
