using System.Buffers.Binary;
using System.Security.Cryptography;
using BeamSync.Core;
using BeamSync.Core.Types;

namespace BeamSync.Chain.Processing;

/// <summary>
/// EIP-7685 execution-layer requests of a Prague block: EIP-6110 deposits read from the deposit contract's logs,
/// EIP-7002 withdrawal requests and EIP-7251 consolidation requests dequeued by system calls, and the header's
/// <c>requests_hash</c> = sha256 of the concatenated sha256(type || data) of the non-empty requests. Stateless; thread-safe.
/// </summary>
public static class ExecutionRequests
{
    public const byte DepositType = 0x00, WithdrawalType = 0x01, ConsolidationType = 0x02;

    /// <summary>keccak256("DepositEvent(bytes,bytes,bytes,bytes,bytes)"): topic 0 of a deposit log.</summary>
    private static readonly Hash256 DepositEventTopic = Hash256.Parse("0x649bbc62d0e31342afea4e5cd82d4049e7e1ee912fc0889aa790803be39038c5");

    // The ABI layout of DepositEvent's data: five dynamic byte strings (pubkey, withdrawal credentials, amount,
    // signature, index) behind five offsets; each is a length word then its bytes padded to 32.
    private const int DepositLogSize = 576;
    private static readonly (int Offset, int Length)[] DepositFields = [(160, 48), (256, 32), (320, 8), (384, 96), (512, 8)];
    private const int DepositRequestSize = 48 + 32 + 8 + 96 + 8;

    /// <summary>Appends the deposit request of every deposit-contract log in <paramref name="receipts"/>; throws on a malformed deposit log.</summary>
    public static byte[] Deposits(Receipt[] receipts, Address depositContract)
    {
        int count = 0;
        foreach (var receipt in receipts)
            foreach (var log in receipt.Logs)
                if (IsDeposit(log, depositContract)) count++;
        if (count == 0) return [];
        var requests = new byte[count * DepositRequestSize];
        int written = 0;
        foreach (var receipt in receipts)
            foreach (var log in receipt.Logs)
                if (IsDeposit(log, depositContract))
                {
                    ParseDeposit(log.Data, requests.AsSpan(written, DepositRequestSize));
                    written += DepositRequestSize;
                }
        return requests;
    }

    private static bool IsDeposit(Log log, Address depositContract) =>
        log.Address == depositContract && log.Topics.Length > 0 && log.Topics[0] == DepositEventTopic;

    /// <summary>pubkey ‖ withdrawal credentials ‖ amount ‖ signature ‖ index from one deposit log's data, checking the layout.</summary>
    private static void ParseDeposit(ReadOnlySpan<byte> data, Span<byte> request)
    {
        if (data.Length != DepositLogSize)
            InvalidBlockException.Throw(BlockError.InvalidDepositLog, $"deposit log data is {data.Length} bytes, not {DepositLogSize}");
        int written = 0;
        for (int i = 0; i < DepositFields.Length; i++)
        {
            var (offset, length) = DepositFields[i];
            if (!IsWord(data.Slice(i * 32, 32), (ulong)offset) || !IsWord(data.Slice(offset, 32), (ulong)length))
                InvalidBlockException.Throw(BlockError.InvalidDepositLog, $"deposit log field {i} is not at offset {offset} with length {length}");
            data.Slice(offset + 32, length).CopyTo(request[written..]);
            written += length;
        }
    }

    private static bool IsWord(ReadOnlySpan<byte> word, ulong value) =>
        word[..24].IndexOfAnyExcept((byte)0) < 0 && BinaryPrimitives.ReadUInt64BigEndian(word[24..]) == value;

    /// <summary>The EIP-7685 commitment: sha256 over sha256(type ‖ data) of each request type with data, in type order.</summary>
    public static Hash256 Hash(ReadOnlySpan<byte> deposits, ReadOnlySpan<byte> withdrawals, ReadOnlySpan<byte> consolidations) =>
        Hash(Typed(deposits, withdrawals, consolidations));

    /// <summary>The EIP-7685 commitment of requests already in the engine API's form (type ‖ data each, in type order).</summary>
    public static Hash256 Hash(IReadOnlyList<byte[]> typedRequests)
    {
        var digests = new byte[typedRequests.Count * 32];
        for (int i = 0; i < typedRequests.Count; i++) SHA256.HashData(typedRequests[i], digests.AsSpan(i * 32, 32));
        return new Hash256(SHA256.HashData(digests));
    }

    /// <summary>The non-empty request lists as type ‖ data, in type order: the engine API's <c>executionRequests</c>.</summary>
    public static byte[][] Typed(ReadOnlySpan<byte> deposits, ReadOnlySpan<byte> withdrawals, ReadOnlySpan<byte> consolidations)
    {
        var typed = new List<byte[]>(3);
        Append(DepositType, deposits, typed);
        Append(WithdrawalType, withdrawals, typed);
        Append(ConsolidationType, consolidations, typed);
        return [.. typed];
    }

    private static void Append(byte type, ReadOnlySpan<byte> data, List<byte[]> typed)
    {
        if (data.IsEmpty) return;
        var request = new byte[1 + data.Length];
        request[0] = type;
        data.CopyTo(request.AsSpan(1));
        typed.Add(request);
    }
}
