using BeamSync.Core;

namespace BeamSync.Evm;

/// <summary>
/// One executing call: its addresses, value, input, code, gas, stack and memory, and the return data of the last
/// call it made. Frames are pooled per depth by <see cref="VirtualMachine"/>; not thread-safe.
/// </summary>
public sealed class CallFrame
{
    public const int StackLimit = 1024;

    public readonly UInt256[] Stack = new UInt256[StackLimit];
    public readonly EvmMemory Memory = new();

    /// <summary>The account whose storage and balance the code acts on.</summary>
    public Address Address;
    public Address Caller;
    /// <summary>The account the code came from (differs from <see cref="Address"/> for CALLCODE and DELEGATECALL).</summary>
    public Address CodeAddress;
    public UInt256 Value;
    public byte[] Input = [];
    public AnalyzedCode Code = AnalyzedCode.Empty;
    public long Gas;
    public bool IsStatic;
    public int Depth;
    public byte[] ReturnData = [];
    /// <summary>RETURN/REVERT output.</summary>
    public byte[] Output = [];

    internal CallFrame Reset(Address address, Address caller, Address codeAddress, in UInt256 value, byte[] input,
        AnalyzedCode code, long gas, bool isStatic, int depth)
    {
        Address = address; Caller = caller; CodeAddress = codeAddress; Value = value; Input = input; Code = code;
        Gas = gas; IsStatic = isStatic; Depth = depth; ReturnData = []; Output = [];
        Memory.Reset();
        return this;
    }
}
