using BeamSync.Core;

namespace BeamSync.Network.Snap;

/// <summary>
/// snap/1's slim account body (caps/snap1.md "Data format"): the consensus RLP [nonce, balance, storageRoot,
/// codeHash] with the empty-trie root and the empty-code hash each replaced by an empty string, as go-ethereum sends
/// it. Pure functions; thread-safe.
/// </summary>
public static class SlimAccount
{
    /// <summary>The slim form of a consensus-encoded account; a body that is not a 4-item account throws <see cref="RlpException"/>.</summary>
    public static byte[] FromConsensus(ReadOnlySpan<byte> account)
    {
        var reader = new RlpReader(account);
        var list = reader.ReadList();
        var nonce = list.ReadEncodedItem();
        var balance = list.ReadEncodedItem();
        var root = list.ReadBytes();
        var codeHash = list.ReadBytes();
        bool emptyRoot = root.SequenceEqual(Hash256.EmptyTrieRoot.Bytes);
        bool emptyCode = codeHash.SequenceEqual(Hash256.EmptyKeccak.Bytes);
        if (!emptyRoot && !emptyCode) return account.ToArray(); // nothing to slim: the body is already canonical
        int content = nonce.Length + balance.Length
                      + (emptyRoot ? 1 : RlpWriter.LengthOfBytes(root)) + (emptyCode ? 1 : RlpWriter.LengthOfBytes(codeHash));
        var buffer = new byte[RlpWriter.LengthOfList(content)];
        var w = new RlpWriter(buffer);
        w.WriteListHeader(content);
        w.WriteEncoded(nonce);
        w.WriteEncoded(balance);
        w.WriteBytes(emptyRoot ? [] : root);
        w.WriteBytes(emptyCode ? [] : codeHash);
        return buffer;
    }

    /// <summary>The storage root of a consensus-encoded account (the third field).</summary>
    public static Hash256 StorageRoot(ReadOnlySpan<byte> account)
    {
        var list = new RlpReader(account).ReadList();
        list.SkipItem();
        list.SkipItem();
        return list.ReadHash();
    }
    /// <summary>The consensus form of a slim body (restores the empty-trie root and empty-code hash); throws <see cref="RlpException"/> on a malformed body.</summary>
    public static byte[] ToConsensus(ReadOnlySpan<byte> slim)
    {
        var list = new RlpReader(slim).ReadList();
        var nonce = list.ReadEncodedItem();
        var balance = list.ReadEncodedItem();
        var root = list.ReadBytes();
        var codeHash = list.ReadBytes();
        list.EnsureEnd();
        if ((root.Length != 0 && root.Length != Hash256.Size) || (codeHash.Length != 0 && codeHash.Length != Hash256.Size))
            throw new RlpException(RlpError.WrongLength, "a slim account's root and code hash are empty or 32 bytes");
        int content = nonce.Length + balance.Length + 33 + 33;
        var buffer = new byte[RlpWriter.LengthOfList(content)];
        var w = new RlpWriter(buffer);
        w.WriteListHeader(content);
        w.WriteEncoded(nonce);
        w.WriteEncoded(balance);
        w.WriteBytes(root.Length == 0 ? Hash256.EmptyTrieRoot.Bytes : root);
        w.WriteBytes(codeHash.Length == 0 ? Hash256.EmptyKeccak.Bytes : codeHash);
        return buffer;
    }
}
