using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.State;

namespace BeamSync.Evm;

/// <summary>
/// Executes message calls and creations for one transaction at a time against a <see cref="WorldState"/>, under one
/// fork's <see cref="EvmSpec"/>. Owns pooled call frames (one per depth) and a code-analysis cache. Calls recurse on
/// the current thread's stack (up to 1024 deep), so run it on a thread with a large stack
/// (<see cref="RequiredStackSize"/>). Not thread-safe.
/// </summary>
public sealed partial class VirtualMachine
{
    public const int MaxCallDepth = 1024;
    /// <summary>Stack for a thread that runs transactions: 1024 nested frames of the interpreter and call path.</summary>
    public const int RequiredStackSize = 256 * 1024 * 1024;

    private const long CallStipend = 2300;
    private const long CodeDepositGasPerByte = 200;

    private readonly WorldState _state;
    private readonly EvmSpec _spec;
    private readonly BlockContext _block;
    private TxContext _tx;
    private readonly CallFrame?[] _frames = new CallFrame?[MaxCallDepth + 1];
    private readonly Dictionary<Hash256, AnalyzedCode> _codeCache;

    public VirtualMachine(WorldState state, EvmSpec spec, BlockContext block, TxContext tx, Dictionary<Hash256, AnalyzedCode>? codeCache = null)
    {
        _state = state; _spec = spec; _block = block; _tx = tx;
        _codeCache = codeCache ?? new Dictionary<Hash256, AnalyzedCode>();
    }

    public WorldState State => _state;
    public EvmSpec Spec => _spec;

    public void SetTransaction(TxContext tx) => _tx = tx;

    private CallFrame RentFrame(int depth) => _frames[depth] ??= new CallFrame();

    private AnalyzedCode CodeOf(Address address)
    {
        var hash = _state.GetCodeHash(address);
        if (hash.IsZero || hash == Hash256.EmptyKeccak) return AnalyzedCode.Empty;
        if (!_codeCache.TryGetValue(hash, out var analyzed))
            _codeCache[hash] = analyzed = new AnalyzedCode(_state.GetCode(address));
        return analyzed;
    }

    /// <summary>The CREATE address: keccak(rlp([sender, nonce]))[12..].</summary>
    public static Address CreateAddress(Address sender, ulong nonce)
    {
        var rlp = Rlp.EncodeList(Rlp.EncodeBytes(sender.Bytes), Rlp.Encode(nonce));
        return Address.FromWord(Keccak256.Hash(rlp).Bytes);
    }

    /// <summary>The CREATE2 address: keccak(0xff ++ sender ++ salt ++ keccak(initCode))[12..].</summary>
    public static Address Create2Address(Address sender, in UInt256 salt, ReadOnlySpan<byte> initCode)
    {
        Span<byte> buffer = stackalloc byte[85];
        buffer[0] = 0xff;
        sender.Bytes.CopyTo(buffer[1..]);
        salt.ToBigEndian(buffer[21..]);
        Keccak256.Hash(initCode, buffer[53..]);
        return Address.FromWord(Keccak256.Hash(buffer).Bytes);
    }

    private void Transfer(Address from, Address to, in UInt256 value)
    {
        _state.SubtractBalance(from, value);
        _state.AddBalance(to, value);
    }
}
