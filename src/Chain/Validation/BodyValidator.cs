using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;

namespace BeamSync.Chain.Validation;

/// <summary>
/// Checks a block's body against its header before execution: the ommers hash, the transactions root, the presence
/// and root of withdrawals (Shanghai), and before the merge the uncle rules (at most two, each a valid header whose
/// parent is an ancestor within six generations, not itself an ancestor, not included before), and from Osaka the
/// EIP-7934 cap on the block's RLP size. Throws
/// <see cref="InvalidBlockException"/>. Thread-safe given a thread-safe lookup.
/// </summary>
public sealed class BodyValidator(HeaderValidator headers, Func<BlockHeader, Fork> forkOf)
{
    public const int MaxUncles = 2;
    /// <summary>An uncle's parent is at most this many generations above the including block's parent.</summary>
    public const int MaxUncleDepth = 6;
    /// <summary>
    /// EIP-7934 MAX_RLP_BLOCK_SIZE from Osaka: the 10 MiB devp2p message cap less a 2 MiB margin for the beacon
    /// block that carries the payload, so every valid block still fits in one message.
    /// </summary>
    public const int MaxRlpBlockSize = 10 * 1024 * 1024 - 2 * 1024 * 1024;

    public void Validate(Block block, Fork fork, IChainLookup chain)
    {
        var header = block.Header;
        var body = block.Body;
        if (fork >= Fork.Osaka && block.EncodedLength is var size && size > MaxRlpBlockSize)
            InvalidBlockException.Throw(BlockError.BlockRlpTooLarge, $"block is {size} bytes of RLP, above {MaxRlpBlockSize}");
        var ommersHash = OrderedTrie.OmmersHash(body.Uncles);
        if (ommersHash != header.OmmersHash) InvalidBlockException.Throw(BlockError.OmmersHashMismatch, $"ommers hash {ommersHash}, header {header.OmmersHash}");
        var txRoot = OrderedTrie.TransactionsRoot(body.Transactions);
        if (txRoot != header.TransactionsRoot)
            InvalidBlockException.Throw(BlockError.TransactionsRootMismatch, $"transactions root {txRoot}, header {header.TransactionsRoot}");

        if (fork >= Fork.Shanghai)
        {
            if (body.Withdrawals is null) InvalidBlockException.Throw(BlockError.MissingWithdrawals, "no withdrawals list from Shanghai");
            var root = OrderedTrie.WithdrawalsRoot(body.Withdrawals);
            if (root != header.WithdrawalsRoot)
                InvalidBlockException.Throw(BlockError.WithdrawalsRootMismatch, $"withdrawals root {root}, header {header.WithdrawalsRoot}");
        }
        else if (body.Withdrawals is not null) InvalidBlockException.Throw(BlockError.UnexpectedWithdrawals, "withdrawals before Shanghai");

        if (body.Uncles.Length > 0) ValidateUncles(block, chain);
    }

    private void ValidateUncles(Block block, IChainLookup chain)
    {
        if (block.Body.Uncles.Length > MaxUncles)
            InvalidBlockException.Throw(BlockError.TooManyUncles, $"{block.Body.Uncles.Length} uncles, at most {MaxUncles}");

        // The ancestors within reach and every uncle they included: neither may be included again.
        var ancestors = new Dictionary<Hash256, BlockHeader>();
        var included = new HashSet<Hash256>();
        var hash = block.Header.ParentHash;
        for (int i = 0; i <= MaxUncleDepth; i++)
        {
            var ancestor = chain.GetHeader(hash);
            if (ancestor is null) break;
            ancestors[hash] = ancestor;
            if (chain.GetBody(hash) is { } body) foreach (var u in body.Uncles) included.Add(u.Hash);
            if (ancestor.Number == 0) break;
            hash = ancestor.ParentHash;
        }
        ancestors.Remove(block.Header.ParentHash, out var parent);
        included.Add(block.Hash);

        foreach (var uncle in block.Body.Uncles)
        {
            var uncleHash = uncle.Hash;
            if (!included.Add(uncleHash)) InvalidBlockException.Throw(BlockError.DuplicateUncle, $"uncle {uncleHash} already included");
            if (ancestors.ContainsKey(uncleHash) || uncleHash == block.Header.ParentHash)
                InvalidBlockException.Throw(BlockError.UncleIsAncestor, $"uncle {uncleHash} is an ancestor");
            if (!ancestors.TryGetValue(uncle.ParentHash, out var uncleParent) || uncle.ParentHash == parent?.Hash)
            {
                InvalidBlockException.Throw(BlockError.InvalidUncle, $"uncle {uncleHash}'s parent {uncle.ParentHash} is not an ancestor within {MaxUncleDepth}");
                return;
            }
            try { headers.Validate(uncle, uncleParent, forkOf(uncle), forkOf(uncleParent)); }
            catch (InvalidBlockException e) { InvalidBlockException.Throw(BlockError.InvalidUncle, $"uncle {uncleHash}: {e.Message}"); }
        }
    }
}
