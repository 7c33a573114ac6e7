using BeamSync.Core;

namespace BeamSync.Trie;

/// <summary>
/// Range proofs as snap's AccountRange and StorageRanges use them: a run of consecutive entries plus the proofs of
/// its two edges (the requested origin and the last key returned). Verification follows go-ethereum's
/// VerifyRangeProof: rebuild the trie from the edge paths with everything between them removed, insert the entries,
/// and compare the root; then answer whether the trie holds more entries to the right. Stateless; thread-safe.
/// </summary>
public static partial class RangeProof
{
    /// <summary>The edge proofs for a range starting at <paramref name="origin"/> and ending at <paramref name="lastKey"/>.</summary>
    public static List<byte[]> Prove(PatriciaTrie trie, ReadOnlySpan<byte> origin, ReadOnlySpan<byte> lastKey)
    {
        var proof = Proof.Prove(trie, origin);
        var seen = new HashSet<Hash256>();
        foreach (var node in proof) seen.Add(BeamSync.Core.Crypto.Keccak256.Hash(node));
        foreach (var node in Proof.Prove(trie, lastKey))
            if (seen.Add(BeamSync.Core.Crypto.Keccak256.Hash(node))) proof.Add(node);
        return proof;
    }

    /// <summary>
    /// Verifies that <paramref name="keys"/>/<paramref name="values"/> are exactly the entries of the trie with
    /// <paramref name="rootHash"/> from <paramref name="firstKey"/> up to the last key. With a null
    /// <paramref name="proof"/> the entries must be the whole trie. Returns whether more entries exist after the last
    /// key; throws <see cref="ProofException"/> when the range or its proof is wrong.
    /// </summary>
    public static bool Verify(Hash256 rootHash, byte[] firstKey, IReadOnlyList<byte[]> keys, IReadOnlyList<byte[]> values, IEnumerable<byte[]>? proof)
    {
        if (keys.Count != values.Count) throw new ProofException($"{keys.Count} keys but {values.Count} values");
        for (int i = 0; i + 1 < keys.Count; i++)
            if (keys[i].AsSpan().SequenceCompareTo(keys[i + 1]) >= 0) throw new ProofException("range is not strictly increasing");
        foreach (var v in values)
            if (v.Length == 0) throw new ProofException("range contains an empty value (a deletion)");

        if (proof is null)
        {
            // No edge proof: the entries must be the whole trie.
            var whole = SortedTrieBuilder.Build(keys, values); // in order and non-empty: checked above
            if (whole != rootHash) throw new ProofException($"invalid proof: root {whole}, expected {rootHash}");
            return false;
        }

        var nodes = Proof.ToNodeSet(proof);
        if (keys.Count == 0)
        {
            // An empty range proves that nothing exists at or after firstKey.
            var (root, value) = ProofToPath(rootHash, null, firstKey, nodes, allowNonExistent: true);
            if (value is not null || HasRightElement(root, firstKey)) throw new ProofException("more entries available");
            return false;
        }

        var lastKey = keys[^1];
        if (keys.Count == 1 && firstKey.AsSpan().SequenceEqual(lastKey))
        {
            // One entry at the origin: its own proof suffices; no second edge exists.
            var (root, value) = ProofToPath(rootHash, null, firstKey, nodes, allowNonExistent: false);
            if (value is null || !value.AsSpan().SequenceEqual(values[0])) throw new ProofException("correct proof but invalid data");
            return HasRightElement(root, firstKey);
        }

        if (firstKey.AsSpan().SequenceCompareTo(lastKey) >= 0) throw new ProofException("invalid edge keys: the first is not below the last");
        if (firstKey.Length != lastKey.Length) throw new ProofException("edge keys of different lengths");

        var (partial, _) = ProofToPath(rootHash, null, firstKey, nodes, allowNonExistent: true);
        (partial, _) = ProofToPath(rootHash, partial, lastKey, nodes, allowNonExistent: true);
        bool empty = UnsetInternal(partial, firstKey, lastKey);
        ForgetEncodings(partial);

        var trie = new PatriciaTrie(EmptyNodeSource.Instance, empty ? null : partial);
        try
        {
            for (int i = 0; i < keys.Count; i++) trie.Set(keys[i], values[i]);
        }
        catch (MissingTrieNodeException e)
        {
            throw new ProofException($"the range reaches outside its edge proofs: {e.Message}");
        }
        var actual = trie.RootHash;
        if (actual != rootHash) throw new ProofException($"invalid proof: root {actual}, expected {rootHash}");
        return HasRightElement(trie.Root, lastKey);
    }

    /// <summary><see cref="Verify"/> as a boolean: false instead of a <see cref="ProofException"/>.</summary>
    public static bool TryVerify(Hash256 rootHash, byte[] firstKey, IReadOnlyList<byte[]> keys, IReadOnlyList<byte[]> values,
        IEnumerable<byte[]>? proof, out bool hasMore, out string? error)
    {
        try
        {
            hasMore = Verify(rootHash, firstKey, keys, values, proof);
            error = null;
            return true;
        }
        catch (ProofException e)
        {
            hasMore = false;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Clears cached encodings in the resolved part of a partial trie after its shape changed.</summary>
    private static void ForgetEncodings(Node? node)
    {
        switch (node)
        {
            case null or HashNode:
                return;
            case ExtensionNode ext:
                ForgetEncodings(ext.Child);
                break;
            case BranchNode branch:
                foreach (var c in branch.Children) ForgetEncodings(c);
                break;
        }
        node.Touch();
    }
}
