using BeamSync.Evm;

namespace BeamSync.Node.Devnet;

/// <summary>
/// Writes EVM bytecode from opcodes, pushes and named jump labels, so the devnet's contracts read as assembly and
/// their jump offsets are computed rather than counted by hand. Labels are pushed with PUSH2 (code stays under
/// 64 KiB). Not thread-safe; one assembler per program.
/// </summary>
internal sealed class BytecodeAssembler
{
    private readonly List<byte> _code = [];
    private readonly Dictionary<string, int> _labels = [];
    private readonly List<(int Offset, string Label)> _fixups = [];

    public BytecodeAssembler Op(params Opcode[] ops)
    {
        foreach (var op in ops) _code.Add((byte)op);
        return this;
    }

    /// <summary>The shortest PUSH of <paramref name="value"/> (PUSH0 for zero).</summary>
    public BytecodeAssembler Push(ulong value)
    {
        if (value == 0) return Op(Opcode.PUSH0);
        Span<byte> bytes = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return Push(bytes.TrimStart((byte)0));
    }

    public BytecodeAssembler Push(ReadOnlySpan<byte> value)
    {
        if (value.Length is 0 or > 32) throw new ArgumentOutOfRangeException(nameof(value), "a push carries 1 to 32 bytes");
        _code.Add((byte)((byte)Opcode.PUSH1 + value.Length - 1));
        foreach (var b in value) _code.Add(b);
        return this;
    }

    /// <summary>PUSH2 of a label's offset, resolved by <see cref="Build"/>.</summary>
    public BytecodeAssembler PushLabel(string label)
    {
        _code.Add((byte)Opcode.PUSH1 + 1); // PUSH2
        _fixups.Add((_code.Count, label));
        _code.Add(0);
        _code.Add(0);
        return this;
    }

    /// <summary>Marks a jump destination here (emits JUMPDEST).</summary>
    public BytecodeAssembler Label(string label)
    {
        _labels.Add(label, _code.Count);
        return Op(Opcode.JUMPDEST);
    }

    public byte[] Build()
    {
        var code = _code.ToArray();
        foreach (var (offset, label) in _fixups)
        {
            if (!_labels.TryGetValue(label, out int target)) throw new InvalidOperationException($"label {label} is never defined");
            code[offset] = (byte)(target >> 8);
            code[offset + 1] = (byte)target;
        }
        return code;
    }
}
