using BeamSync.Core;

namespace BeamSync.Evm;

/// <summary>
/// EIP-7702 delegation designators: the 23-byte code <c>0xef0100 ‖ address</c> an authorization writes into an
/// account, which makes calls into the account run the code at <c>address</c>. Stateless; thread-safe.
/// </summary>
public static class Delegation
{
    public const int DesignatorLength = 3 + Address.Size;
    private static ReadOnlySpan<byte> Prefix => [0xef, 0x01, 0x00];

    /// <summary>True when <paramref name="code"/> is exactly a designator; <paramref name="target"/> is its address.</summary>
    public static bool TryGetTarget(ReadOnlySpan<byte> code, out Address target)
    {
        if (code.Length != DesignatorLength || !code.StartsWith(Prefix)) { target = default; return false; }
        target = new Address(code[3..]);
        return true;
    }

    /// <summary>The designator code delegating to <paramref name="target"/>.</summary>
    public static byte[] Designator(Address target)
    {
        var code = new byte[DesignatorLength];
        Prefix.CopyTo(code);
        target.Bytes.CopyTo(code.AsSpan(3));
        return code;
    }
}
