using System.Text.Json;
using System.Text.Json.Nodes;
using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Core.Types;
using BeamSync.Trie;

namespace BeamSync.Rpc;

// Account and storage reads, and their Merkle proofs.
public sealed partial class EthRpc
{
    private JsonNode GetBalance(RpcParams p)
    {
        var address = p.Address(0);
        return RpcJson.Quantity(OpenState(RequireHeader(p.BlockId(1))).GetBalance(address));
    }

    private JsonNode GetTransactionCount(RpcParams p)
    {
        var address = p.Address(0);
        return RpcJson.Quantity(OpenState(RequireHeader(p.BlockId(1))).GetNonce(address));
    }

    private JsonNode GetCode(RpcParams p)
    {
        var address = p.Address(0);
        return RpcJson.Data(OpenState(RequireHeader(p.BlockId(1))).GetCode(address));
    }

    private JsonNode GetStorageAt(RpcParams p)
    {
        var address = p.Address(0);
        var slot = ParseStorageKey(p.Required(1));
        var value = OpenState(RequireHeader(p.BlockId(2))).GetStorage(address, new UInt256(slot));
        return RpcJson.Data(value.ToBigEndian());
    }

    /// <summary>A storage key as geth reads it: hex of at most 32 bytes, left-padded (an odd digit count gains a leading zero).</summary>
    private static byte[] ParseStorageKey(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String) throw RpcException.InvalidParams("invalid argument 1: storage key must be a string");
        var text = element.GetString()!;
        var digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text.AsSpan(2) : text.AsSpan();
        if (!Hex.TryParse(digits, out var bytes)) throw RpcException.InvalidParams($"invalid hex in storage key: \"{text}\"");
        if (bytes.Length > 32) throw RpcException.InvalidParams($"storage key too long (want at most 32 bytes): \"{text}\"");
        return bytes;
    }

    private JsonNode GetProof(RpcParams p)
    {
        var address = p.Address(0);
        var keysElement = p.Required(1);
        if (keysElement.ValueKind != JsonValueKind.Array) throw RpcParams.Invalid(1, "storage keys must be an array");
        var header = RequireHeader(p.BlockId(2));

        var source = _states.Open(header.StateRoot);
        var accounts = new SecureTrie(source, header.StateRoot, TrieOwner.AccountTrie);
        var addressHash = Keccak256.Hash(address.Bytes);
        var accountProof = Proof.Prove(accounts.Inner, addressHash.Bytes);
        var account = accounts.Get(address.Bytes) is { } encoded ? Account.Decode(encoded) : Account.Empty;

        var storage = new SecureTrie(source, account.StorageRoot, TrieOwner.Storage(addressHash));
        var storageProofs = new JsonArray();
        foreach (var keyElement in keysElement.EnumerateArray())
        {
            var key = ParseStorageKey(keyElement);
            var slot = new UInt256(key).ToBigEndian();
            var value = storage.Get(slot) is { } rlp ? new RlpReader(rlp).ReadUInt256() : UInt256.Zero;
            var text = keyElement.GetString()!;
            storageProofs.Add(new JsonObject
            {
                // A full 32-byte key is echoed as given; a shorter one as a quantity (geth's output).
                ["key"] = text.Length == 66 ? text.ToLowerInvariant() : RpcJson.Quantity(new UInt256(key)),
                ["value"] = RpcJson.Quantity(value),
                ["proof"] = ProofJson(Proof.Prove(storage.Inner, Keccak256.Hash(slot).Bytes)),
            });
        }
        return new JsonObject
        {
            ["address"] = RpcJson.Address(address),
            ["accountProof"] = ProofJson(accountProof),
            ["balance"] = RpcJson.Quantity(account.Balance),
            ["codeHash"] = RpcJson.Hash(account.CodeHash),
            ["nonce"] = RpcJson.Quantity(account.Nonce),
            ["storageHash"] = RpcJson.Hash(account.StorageRoot),
            ["storageProof"] = storageProofs,
        };
    }

    private static JsonArray ProofJson(List<byte[]> nodes)
    {
        var array = new JsonArray();
        foreach (var node in nodes) array.Add(RpcJson.Data(node));
        return array;
    }
}
