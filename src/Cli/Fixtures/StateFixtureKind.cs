using System.Text;
using System.Text.Json;
using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Core.Crypto;
using BeamSync.Core.Specs;
using BeamSync.Db;
using BeamSync.Evm;
using BeamSync.State;

namespace BeamSync.Cli.Fixtures;

/// <summary>
/// ethereum/tests GeneralStateTests and execution-spec-tests state_tests: a pre-state, one transaction template
/// (data/gasLimit/value arrays picked by each post entry's indexes) and, per fork, the expected state root and logs
/// hash. An entry with <c>expectException</c> must be rejected as invalid. Each file runs on a thread with a stack
/// deep enough for 1024 nested calls.
/// </summary>
public sealed class StateFixtureKind : IFixtureKind
{
    public string Name => "State";
    public bool Implemented => true;

    public bool Recognizes(string path, JsonElement firstCase) =>
        firstCase.Has("transaction") && firstCase.Has("post") && firstCase.Has("pre");

    public IEnumerable<CaseResult> Run(string path, JsonElement root)
    {
        var results = new List<CaseResult>();
        DeepStack.Run(() =>
        {
            foreach (var test in root.EnumerateObject())
            {
                try { RunTest(path, test.Name, test.Value, results); }
                catch (Exception e) { results.Add(CaseResult.Fail(path, test.Name, "", $"malformed test: {e.Message}")); }
            }
        });
        return results;
    }

    private static void RunTest(string path, string name, JsonElement test, List<CaseResult> results)
    {
        var env = test.GetProperty("env");
        var tx = test.GetProperty("transaction");
        var pre = test.GetProperty("pre");
        var config = test.TryGetProperty("config", out var c) ? c : default;
        foreach (var forkPosts in test.GetProperty("post").EnumerateObject())
        {
            if (!FixtureNetworks.TryGet(forkPosts.Name, config, out var network))
            {
                results.Add(new CaseResult(path, name, forkPosts.Name, CaseStatus.Skipped, "unknown fork"));
                continue;
            }
            int i = 0;
            foreach (var post in forkPosts.Value.EnumerateArray())
            {
                string caseName = $"{name}[{i++}]";
                try { results.Add(RunCase(path, caseName, forkPosts.Name, network, env, pre, tx, post)); }
                catch (Exception e) { results.Add(CaseResult.Fail(path, caseName, forkPosts.Name, $"{e.GetType().Name}: {e.Message}")); }
            }
        }
    }

    private static CaseResult RunCase(string path, string name, string forkName, ChainSpec network, JsonElement env,
        JsonElement pre, JsonElement txJson, JsonElement post)
    {
        var block = ParseBlock(env, network, out var fork);
        var spec = EvmSpec.For(fork);
        var store = LoadPreState(pre);
        var state = new WorldState(store);
        var indexes = post.GetProperty("indexes");
        var message = ParseTransaction(txJson, network.ChainId, indexes.GetProperty("data").GetInt32(),
            indexes.GetProperty("gas").GetInt32(), indexes.GetProperty("value").GetInt32());
        bool expectInvalid = post.TryGetProperty("expectException", out var expected) && expected.ValueKind == JsonValueKind.String;

        TransactionResult result = message is null
            ? TransactionResult.Invalid("transaction fields out of range")
            : new TransactionProcessor(state, spec, block).Execute(message.Value.Tx, message.Value.Sender);
        if (!result.IsValid && !expectInvalid) return CaseResult.Fail(path, name, forkName, $"transaction rejected: {result.Error}");
        if (result.IsValid && expectInvalid) return CaseResult.Fail(path, name, forkName, $"transaction accepted, expected {expected.GetString()}");

        var root = result.IsValid ? state.Commit() : store.Root;
        var wantRoot = Hash256.Parse(post.GetProperty("hash").GetString()!);
        if (root != wantRoot) return CaseResult.Fail(path, name, forkName, $"state root {root}, expected {wantRoot}");
        var logsHash = LogsHash(result.Logs);
        var wantLogs = Hash256.Parse(post.GetProperty("logs").GetString()!);
        if (logsHash != wantLogs) return CaseResult.Fail(path, name, forkName, $"logs hash {logsHash}, expected {wantLogs}");
        return CaseResult.Pass(path, name, forkName);
    }

    private static TrieStateStore LoadPreState(JsonElement pre)
    {
        var changes = new List<AccountChange>();
        foreach (var account in pre.EnumerateObject())
        {
            var code = Hex.Parse(account.Value.GetProperty("code").GetString()!);
            var storage = new List<KeyValuePair<UInt256, UInt256>>();
            foreach (var slot in account.Value.GetProperty("storage").EnumerateObject())
                storage.Add(new(Quantity(slot.Name), Quantity(slot.Value.GetString()!)));
            changes.Add(new AccountChange(Address.Parse(account.Name), false,
                (ulong)Quantity(account.Value.GetProperty("nonce").GetString()!),
                Quantity(account.Value.GetProperty("balance").GetString()!),
                code.Length == 0 ? Hash256.EmptyKeccak : Keccak256.Hash(code), code, true, storage));
        }
        var store = new TrieStateStore(new MemoryKeyValueStore());
        store.Commit(changes);
        return store;
    }

    /// <summary>The block environment and the fork the network runs at its number and time.</summary>
    private static BlockContext ParseBlock(JsonElement env, ChainSpec network, out Fork fork)
    {
        UInt256 Get(string field, UInt256 fallback) =>
            env.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String ? Quantity(v.GetString()!) : fallback;
        ulong number = (ulong)Get("currentNumber", UInt256.Zero), timestamp = (ulong)Get("currentTimestamp", UInt256.Zero);
        fork = network.ForkAt(number, timestamp);
        var spec = EvmSpec.For(fork);
        var blobParameters = spec.IsCancun ? network.BlobParametersAt(timestamp) ?? BlobGas.DefaultParameters(spec) : (BlobParameters?)null;
        var excessBlobGas = Get("currentExcessBlobGas", UInt256.Zero);
        return new BlockContext(
            Address.Parse(env.GetProperty("currentCoinbase").GetString()!),
            number,
            timestamp,
            Get("currentGasLimit", UInt256.Zero).ToUInt64Saturating(),
            spec.IsLondon ? Get("currentBaseFee", new UInt256(10)) : UInt256.Zero,
            Get("currentDifficulty", UInt256.Zero),
            Get("currentRandom", UInt256.Zero).ToHash(),
            network.ChainId,
            blobParameters is { } p ? BlobGas.BaseFee(excessBlobGas.ToUInt64Saturating(), p) : UInt256.Zero,
            // ethereum/tests define BLOCKHASH(n) as keccak256 of n's decimal digits.
            n => Keccak256.Hash(Encoding.ASCII.GetBytes(n.ToString(System.Globalization.CultureInfo.InvariantCulture))))
        {
            BlobParameters = blobParameters,
        };
    }

    /// <summary>The transaction an entry's indexes select; null when a field does not fit its type (invalid).</summary>
    private static (Transaction Tx, Address Sender)? ParseTransaction(JsonElement tx, ulong chainId, int dataIndex, int gasIndex, int valueIndex)
    {
        var data = Hex.Parse(StripPrefix(tx.GetProperty("data")[dataIndex].GetString()!));
        // A field wider than its type (value above 2^256, gas or nonce above 2^64) makes the transaction invalid.
        if (!UInt256.TryParse(StripPrefix(tx.GetProperty("gasLimit")[gasIndex].GetString()!), out var gasLimit) ||
            !UInt256.TryParse(StripPrefix(tx.GetProperty("value")[valueIndex].GetString()!), out var value) ||
            !UInt256.TryParse(StripPrefix(tx.GetProperty("nonce").GetString()!), out var nonce) ||
            !gasLimit.IsUInt64 || !nonce.IsUInt64)
            return null;

        Address sender = tx.TryGetProperty("sender", out var s) && s.GetString() is { Length: > 0 } senderHex
            ? Address.Parse(senderHex)
            : Secp256k1Curve.ToAddress(Secp256k1Curve.GetPublicKey(Hex.Parse(tx.GetProperty("secretKey").GetString()!)));
        var toText = tx.TryGetProperty("to", out var t) ? t.GetString() : null;
        Address? to = string.IsNullOrEmpty(toText) ? null : Address.Parse(toText);

        var type = TransactionType.Legacy;
        var accessList = Array.Empty<AccessListItem>();
        if (tx.TryGetProperty("accessLists", out var lists) && lists.ValueKind == JsonValueKind.Array &&
            dataIndex < lists.GetArrayLength() && lists[dataIndex].ValueKind == JsonValueKind.Array)
        {
            type = TransactionType.AccessList;
            accessList = lists[dataIndex].EnumerateArray().Select(e => new AccessListItem(
                Address.Parse(e.GetProperty("address").GetString()!),
                e.GetProperty("storageKeys").EnumerateArray().Select(k => Quantity(k.GetString()!).ToHash()).ToArray())).ToArray();
        }
        UInt256 maxFee, maxPriority;
        if (tx.TryGetProperty("maxFeePerGas", out var mf))
        {
            type = TransactionType.DynamicFee;
            maxFee = Quantity(mf.GetString()!);
            maxPriority = Quantity(tx.GetProperty("maxPriorityFeePerGas").GetString()!);
        }
        else maxFee = maxPriority = Quantity(tx.GetProperty("gasPrice").GetString()!);

        var blobHashes = Array.Empty<Hash256>();
        var maxFeePerBlobGas = UInt256.Zero;
        if (tx.TryGetProperty("blobVersionedHashes", out var bh) && bh.ValueKind == JsonValueKind.Array)
        {
            type = TransactionType.Blob;
            blobHashes = bh.EnumerateArray().Select(h => Hash256.Parse(h.GetString()!)).ToArray();
            maxFeePerBlobGas = Quantity(tx.GetProperty("maxFeePerBlobGas").GetString()!);
        }
        var authorizations = Array.Empty<Authorization>();
        if (tx.TryGetProperty("authorizationList", out var auths) && auths.ValueKind == JsonValueKind.Array)
        {
            type = TransactionType.SetCode;
            authorizations = new Authorization[auths.GetArrayLength()];
            int a = 0;
            foreach (var auth in auths.EnumerateArray())
            {
                // A nonce or y parity wider than the tuple's type cannot be encoded: the transaction is invalid.
                var authNonce = Quantity(auth.GetProperty("nonce").GetString()!);
                var yParity = Quantity((auth.TryGetProperty("yParity", out var y) ? y : auth.GetProperty("v")).GetString()!);
                if (!authNonce.IsUInt64 || yParity > new UInt256(byte.MaxValue)) return null;
                authorizations[a++] = new Authorization(Quantity(auth.GetProperty("chainId").GetString()!),
                    Address.Parse(auth.GetProperty("address").GetString()!), authNonce.U0, (byte)yParity.U0,
                    Quantity(auth.GetProperty("r").GetString()!), Quantity(auth.GetProperty("s").GetString()!));
            }
        }
        var transaction = new Transaction
        {
            Type = type, ChainId = chainId, AuthorizationList = authorizations, Nonce = nonce.U0, To = to, Value = value, Data = data, GasLimit = gasLimit.U0,
            GasPrice = maxFee, MaxFeePerGas = maxFee, MaxPriorityFeePerGas = maxPriority, AccessList = accessList,
            MaxFeePerBlobGas = maxFeePerBlobGas, BlobVersionedHashes = blobHashes,
        };
        return (transaction, sender);
    }

    private static string StripPrefix(string s) => s.StartsWith("0x:bigint ", StringComparison.Ordinal) ? s[10..] : s;

    private static UInt256 Quantity(string s) => UInt256.Parse(StripPrefix(s));

    /// <summary>keccak256 of the RLP list of logs, each [address, [topics...], data].</summary>
    public static Hash256 LogsHash(IReadOnlyList<Log> logs)
    {
        var items = new byte[logs.Count][];
        for (int i = 0; i < logs.Count; i++)
        {
            var log = logs[i];
            items[i] = Rlp.EncodeList(Rlp.EncodeBytes(log.Address.Bytes),
                Rlp.EncodeList(log.Topics.Select(t => Rlp.EncodeBytes(t.Bytes)).ToArray()),
                Rlp.EncodeBytes(log.Data));
        }
        return Keccak256.Hash(Rlp.EncodeList(items));
    }
}

