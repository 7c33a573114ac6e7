using BeamSync.Chain.Processing;
using BeamSync.Chain.Specs;
using BeamSync.Chain.Validation;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Evm;

namespace BeamSync.Chain.Building;

/// <summary>
/// Builds a post-merge block on a parent: fills the header fields the parent determines (number, gas limit step,
/// EIP-1559 base fee, EIP-4844 excess blob gas), runs the same phases <see cref="BlockProcessor"/> checks (system
/// calls, transactions, withdrawals, EIP-7685 requests) through <see cref="BlockPhases"/>, takes candidates in the
/// given order and leaves out any that is invalid, not executable on the state, or does not fit the gas, blob gas or
/// (Osaka) size left, then computes every root, the bloom and gas used. The block imports through
/// <c>Blockchain.Import</c>. Stateless apart from its configuration; thread-safe (each build opens its own state),
/// but the calling thread needs <see cref="VirtualMachine.RequiredStackSize"/> of stack.
/// </summary>
public sealed class BlockBuilder(ChainSpec spec, IExecutionStateFactory states)
{
    /// <summary>Room left under the EIP-7934 cap for the header, withdrawals and list headers.</summary>
    private const int BlockSizeHeadroom = 64 * 1024;

    public ChainSpec Spec => spec;

    /// <summary>
    /// Builds a child of <paramref name="parent"/> from <paramref name="candidates"/> (tried in order).
    /// <paramref name="blockHash"/> answers BLOCKHASH for the parent and its ancestors. Throws
    /// <see cref="ArgumentException"/> when the spec never merges or the attributes' time is not after the parent's.
    /// </summary>
    public BuiltBlock Build(BlockHeader parent, BlockAttributes attributes, IEnumerable<Transaction> candidates, Func<ulong, Hash256?> blockHash)
    {
        if (spec.TerminalTotalDifficulty is null) throw new ArgumentException($"chain spec {spec.Name} never merges: only post-merge blocks are built", nameof(spec));
        if (attributes.Timestamp <= parent.Timestamp)
            throw new ArgumentException($"timestamp {attributes.Timestamp} is not after the parent's {parent.Timestamp}", nameof(attributes));

        var template = Template(parent, attributes, out var fork);
        var state = states.Open(parent.StateRoot, template, fork, spec, blockHash);
        BlockPhases.BeforeTransactions(template, fork, spec, state);
        var (transactions, receipts, skipped, blobGasUsed) = ExecuteCandidates(template, fork, candidates, state);

        var body = new BlockBody(transactions, [], fork >= Fork.Shanghai ? [.. attributes.Withdrawals] : null);
        BlockPhases.AfterTransactions(template, body, fork, state);
        byte[][]? requests = fork >= Fork.Prague ? BlockPhases.Requests(spec, receipts, state) : null;
        var writes = new StateWrites();
        var stateRoot = state.Commit(writes);

        var header = new BlockHeader
        {
            ParentHash = template.ParentHash,
            Coinbase = template.Coinbase,
            StateRoot = stateRoot,
            TransactionsRoot = OrderedTrie.TransactionsRoot(transactions),
            ReceiptsRoot = OrderedTrie.ReceiptsRoot(receipts),
            LogsBloom = BlockPhases.LogsBloom(receipts),
            Number = template.Number,
            GasLimit = template.GasLimit,
            GasUsed = receipts.Length == 0 ? 0 : receipts[^1].CumulativeGasUsed,
            Timestamp = template.Timestamp,
            ExtraData = template.ExtraData,
            MixHash = template.MixHash,
            BaseFeePerGas = template.BaseFeePerGas,
            WithdrawalsRoot = body.Withdrawals is { } w ? OrderedTrie.WithdrawalsRoot(w) : null,
            BlobGasUsed = fork >= Fork.Cancun ? blobGasUsed : null,
            ExcessBlobGas = template.ExcessBlobGas,
            ParentBeaconBlockRoot = template.ParentBeaconBlockRoot,
            RequestsHash = requests is null ? null : ExecutionRequests.Hash(requests),
        };
        return new BuiltBlock(new Block(header, body), receipts, writes, skipped) { Requests = requests };
    }

    /// <summary>The header fields known before execution (what the EVM's block context reads).</summary>
    private BlockHeader Template(BlockHeader parent, BlockAttributes attributes, out Fork fork)
    {
        ulong number = parent.Number + 1;
        fork = spec.ForkAt(number, attributes.Timestamp, postMerge: true);
        // A proof-of-stake block carries no difficulty; the only pre-merge parent a post-merge block has is the terminal block.
        var parentFork = spec.ForkAt(parent.Number, parent.Timestamp, postMerge: parent.Difficulty.IsZero);
        bool londonForkBlock = fork >= Fork.London && parentFork < Fork.London;
        ulong gasLimit = NextGasLimit(londonForkBlock ? parent.GasLimit * BaseFee.ElasticityMultiplier : parent.GasLimit, attributes.GasLimit);

        ulong? excessBlobGas = null;
        if (fork >= Fork.Cancun)
        {
            var parameters = spec.BlobParametersOf(attributes.Timestamp, fork);
            excessBlobGas = parentFork >= Fork.Cancun
                ? BlobGas.ExcessBlobGas(parent.ExcessBlobGas ?? 0, parent.BlobGasUsed ?? 0, parent.BaseFeePerGas ?? UInt256.Zero, parameters, fork >= Fork.Osaka)
                : 0;
        }
        return new BlockHeader
        {
            ParentHash = parent.Hash,
            Coinbase = attributes.FeeRecipient,
            Number = number,
            GasLimit = gasLimit,
            Timestamp = attributes.Timestamp,
            ExtraData = attributes.ExtraData,
            MixHash = attributes.PrevRandao,
            BaseFeePerGas = fork >= Fork.London ? BaseFee.Calculate(parent, parentFork >= Fork.London) : null,
            WithdrawalsRoot = fork >= Fork.Shanghai ? Hash256.EmptyTrieRoot : null,
            BlobGasUsed = fork >= Fork.Cancun ? 0 : null,
            ExcessBlobGas = excessBlobGas,
            ParentBeaconBlockRoot = fork >= Fork.Cancun ? attributes.ParentBeaconBlockRoot : null,
        };
    }

    /// <summary>Moves toward <paramref name="desired"/> by at most the step the header rules allow (strictly less than parent/1024).</summary>
    private static ulong NextGasLimit(ulong parentLimit, ulong? desired)
    {
        if (desired is not { } target || target == parentLimit) return parentLimit;
        ulong step = Math.Max(parentLimit / GasLimit.BoundDivisor, 1) - 1;
        return target > parentLimit
            ? parentLimit + Math.Min(step, target - parentLimit)
            : Math.Max(parentLimit - Math.Min(step, parentLimit - target), GasLimit.Minimum);
    }

    private (Transaction[] Included, Receipt[] Receipts, List<SkippedTransaction> Skipped, ulong BlobGasUsed) ExecuteCandidates(
        BlockHeader header, Fork fork, IEnumerable<Transaction> candidates, IExecutionState state)
    {
        var included = new List<Transaction>();
        var receipts = new List<Receipt>();
        var skipped = new List<SkippedTransaction>();
        ulong gasUsed = 0, blobGasUsed = 0;
        ulong maxBlobGas = fork >= Fork.Cancun ? spec.BlobParametersOf(header.Timestamp, fork).MaxBlobGas() : 0;
        long sizeLeft = fork >= Fork.Osaka ? BodyValidator.MaxRlpBlockSize - BlockSizeHeadroom : long.MaxValue;

        foreach (var tx in candidates)
        {
            if (tx.GasLimit > header.GasLimit - gasUsed)
            {
                skipped.Add(new(tx, SkipReason.BlockGasExhausted, $"gas limit {tx.GasLimit} above the {header.GasLimit - gasUsed} left"));
                continue;
            }
            Address sender;
            try
            {
                tx.Validate(fork, spec.ChainId);
                sender = tx.Sender;
            }
            catch (TransactionException e) { skipped.Add(new(tx, SkipReason.InvalidTransaction, e.Message)); continue; }
            ulong txBlobGas = (ulong)tx.BlobVersionedHashes.Length * BlobGas.GasPerBlob;
            if (txBlobGas > 0 && blobGasUsed + txBlobGas > maxBlobGas)
            {
                skipped.Add(new(tx, SkipReason.BlobGasExhausted, $"blob gas {blobGasUsed + txBlobGas} above {maxBlobGas}"));
                continue;
            }
            int size = fork >= Fork.Osaka ? tx.EncodeCanonical().Length : 0;
            if (size > sizeLeft)
            {
                skipped.Add(new(tx, SkipReason.BlockSizeExhausted, $"{size} bytes, {sizeLeft} left"));
                continue;
            }

            // An invalid outcome leaves the state untouched (the processor checks before it changes anything).
            var outcome = state.Execute(tx, sender);
            if (!outcome.IsValid)
            {
                skipped.Add(new(tx, SkipReason.NotExecutable, outcome.Error ?? "not executable"));
                continue;
            }
            gasUsed += outcome.GasUsed;
            blobGasUsed += outcome.BlobGasUsed;
            sizeLeft -= size;
            included.Add(tx);
            receipts.Add(BlockPhases.ReceiptOf(tx, outcome, gasUsed, fork, state));
        }
        return ([.. included], [.. receipts], skipped, blobGasUsed);
    }
}
