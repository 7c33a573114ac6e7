using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Trie;

namespace BeamSync.Sync.Accelerators;

/// <summary>
/// Reads the code hash out of a trie node that is an account leaf. A witness (wit/0) names trie nodes only, yet every
/// contract a block calls has its account leaf among them: the code it names can be fetched beside the witness
/// instead of as an urgent miss in the middle of execution. Thread-safe.
/// </summary>
public static class AccountLeaves
{
    /// <summary>
    /// True, with its code hash, when <paramref name="rlp"/> (the node under <paramref name="hash"/>) is the leaf of an
    /// account that has code. A storage leaf holds an RLP string and an account leaf a four-item list, so a leaf of
    /// either trie is told apart without its path; anything else, or bytes that do not decode, is false.
    /// </summary>
    public static bool TryCodeHash(Hash256 hash, byte[] rlp, out Hash256 codeHash)
    {
        codeHash = default;
        try
        {
            if (NodeDecoder.Decode(hash, rlp) is not LeafNode { Value: [>= 0xc0, ..] value }) return false;
            var account = Account.Decode(value);
            if (account.CodeHash == Hash256.EmptyKeccak) return false;
            codeHash = account.CodeHash;
            return true;
        }
        catch (Exception e) when (e is RlpException or TrieNodeCorruptException)
        {
            return false;
        }
    }
}
