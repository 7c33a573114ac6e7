namespace BeamSync.Core.Types;

/// <summary>
/// An account as stored in the state trie: <c>[nonce, balance, storage_root, code_hash]</c>. An immutable value;
/// <see cref="Empty"/> has no code and empty storage.
/// </summary>
public readonly record struct Account(ulong Nonce, UInt256 Balance, Hash256 StorageRoot, Hash256 CodeHash)
{
    public static readonly Account Empty = new(0, UInt256.Zero, Hash256.EmptyTrieRoot, Hash256.EmptyKeccak);

    /// <summary>EIP-161 emptiness: no nonce, no balance, no code.</summary>
    public bool IsEmpty => Nonce == 0 && Balance.IsZero && CodeHash == Hash256.EmptyKeccak;

    public bool HasCode => CodeHash != Hash256.EmptyKeccak;

    private int ContentLength() => RlpWriter.LengthOf(Nonce) + RlpWriter.LengthOf(Balance) + 33 + 33;

    public int EncodedLength => RlpWriter.LengthOfList(ContentLength());

    public void Write(ref RlpWriter writer)
    {
        writer.WriteListHeader(ContentLength());
        writer.Write(Nonce);
        writer.Write(Balance);
        writer.Write(StorageRoot);
        writer.Write(CodeHash);
    }

    public byte[] Encode()
    {
        var buffer = new byte[EncodedLength];
        var writer = new RlpWriter(buffer);
        Write(ref writer);
        return buffer;
    }

    public static Account Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = new RlpReader(encoded);
        var f = reader.ReadList();
        reader.EnsureEnd();
        var account = new Account(f.ReadUInt64(), f.ReadUInt256(), f.ReadHash(), f.ReadHash());
        f.EnsureEnd();
        return account;
    }
}
