using System.Text;
using BeamSync.Chain.Specs;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Evm;

namespace BeamSync.Chain.Validation;

/// <summary>
/// Checks a header against its parent by the rules of its fork (geth's consensus engine as the model): number and
/// hash links, timestamp, extra data, gas limit and gas used, the EIP-1559 base fee, the EIP-4844 blob gas fields,
/// the fields each fork adds, ethash difficulty before the merge and the merge's zeroed fields after. Ethash seals
/// are not verified (no current client does; test chains are sealed by test sealers). Throws
/// <see cref="InvalidBlockException"/>. Stateless apart from the configuration; thread-safe.
/// </summary>
public sealed class HeaderValidator(ChainSpec spec)
{
    public const int MaxExtraDataSize = 32;
    private static readonly byte[] DaoExtraData = Encoding.ASCII.GetBytes("dao-hard-fork");
    /// <summary>The DAO fork's extra-data marker is required on the fork block and the nine after it.</summary>
    private const ulong DaoExtraDataRange = 10;

    public ChainSpec Spec => spec;

    public void Validate(BlockHeader header, BlockHeader parent, Fork fork, Fork parentFork)
    {
        if (header.ParentHash != parent.Hash) InvalidBlockException.Throw(BlockError.UnknownParent, $"parent hash {header.ParentHash} is not {parent.Hash}");
        if (header.Number != parent.Number + 1)
            InvalidBlockException.Throw(BlockError.NumberNotParentPlusOne, $"number {header.Number}, parent {parent.Number}");
        if (header.Timestamp <= parent.Timestamp)
            InvalidBlockException.Throw(BlockError.TimestampNotAfterParent, $"timestamp {header.Timestamp}, parent {parent.Timestamp}");
        if (header.ExtraData.Length > MaxExtraDataSize)
            InvalidBlockException.Throw(BlockError.ExtraDataTooLong, $"extra data {header.ExtraData.Length} bytes");
        if (header.GasUsed > header.GasLimit)
            InvalidBlockException.Throw(BlockError.GasUsedAboveGasLimit, $"gas used {header.GasUsed} above limit {header.GasLimit}");

        bool london = fork >= Fork.London;
        GasLimit.Validate(header, parent, london && parentFork < Fork.London);
        ValidateBaseFee(header, parent, london, parentFork >= Fork.London);
        ValidateConsensus(header, parent, fork);
        ValidateForkFields(spec, header, parent, fork, parentFork);
        ValidateDaoExtraData(header);
    }

    private static void ValidateBaseFee(BlockHeader header, BlockHeader parent, bool london, bool parentIsLondon)
    {
        if (!london)
        {
            if (header.BaseFeePerGas is not null) InvalidBlockException.Throw(BlockError.UnexpectedBaseFee, "base fee before London");
            return;
        }
        if (header.BaseFeePerGas is not { } baseFee) { InvalidBlockException.Throw(BlockError.MissingBaseFee, "no base fee from London"); return; }
        var expected = BaseFee.Calculate(parent, parentIsLondon);
        if (baseFee != expected) InvalidBlockException.Throw(BlockError.InvalidBaseFee, $"base fee {baseFee}, expected {expected}");
    }

    private static void ValidateConsensus(BlockHeader header, BlockHeader parent, Fork fork)
    {
        if (fork >= Fork.Paris)
        {
            if (!header.Difficulty.IsZero) InvalidBlockException.Throw(BlockError.InvalidPostMergeDifficulty, $"difficulty {header.Difficulty} after the merge");
            if (header.Nonce != 0) InvalidBlockException.Throw(BlockError.InvalidPostMergeNonce, $"nonce {header.Nonce} after the merge");
            if (header.OmmersHash != Hash256.EmptyListHash) InvalidBlockException.Throw(BlockError.InvalidPostMergeOmmers, "ommers after the merge");
            return;
        }
        var expected = Difficulty.Calculate(fork, header.Timestamp, header.Number, parent);
        if (header.Difficulty != expected) InvalidBlockException.Throw(BlockError.InvalidDifficulty, $"difficulty {header.Difficulty}, expected {expected}");
    }

    private static void ValidateForkFields(ChainSpec spec, BlockHeader header, BlockHeader parent, Fork fork, Fork parentFork)
    {
        if (fork >= Fork.Shanghai) { if (header.WithdrawalsRoot is null) InvalidBlockException.Throw(BlockError.MissingWithdrawalsRoot, "no withdrawals root from Shanghai"); }
        else if (header.WithdrawalsRoot is not null) InvalidBlockException.Throw(BlockError.UnexpectedWithdrawalsRoot, "withdrawals root before Shanghai");

        if (fork >= Fork.Cancun)
        {
            if (header.BlobGasUsed is not { } used || header.ExcessBlobGas is not { } excess)
            {
                InvalidBlockException.Throw(BlockError.MissingBlobGasFields, "no blob gas fields from Cancun");
                return;
            }
            var parameters = spec.BlobParametersOf(header.Timestamp, fork);
            if (used > parameters.MaxBlobGas()) InvalidBlockException.Throw(BlockError.BlobGasUsedAboveLimit, $"blob gas used {used} above {parameters.MaxBlobGas()}");
            if (used % BlobGas.GasPerBlob != 0)
                InvalidBlockException.Throw(BlockError.BlobGasUsedNotMultipleOfBlobGas, $"blob gas used {used} not a multiple of {BlobGas.GasPerBlob}");
            // The fork block's parent has no blob fields, which count as zero (the child's parameters apply).
            ulong expected = parentFork >= Fork.Cancun
                ? BlobGas.ExcessBlobGas(parent.ExcessBlobGas ?? 0, parent.BlobGasUsed ?? 0, parent.BaseFeePerGas ?? UInt256.Zero, parameters, fork >= Fork.Osaka)
                : 0;
            if (excess != expected) InvalidBlockException.Throw(BlockError.InvalidExcessBlobGas, $"excess blob gas {excess}, expected {expected}");
            if (header.ParentBeaconBlockRoot is null) InvalidBlockException.Throw(BlockError.MissingParentBeaconRoot, "no parent beacon root from Cancun");
        }
        else
        {
            if (header.BlobGasUsed is not null || header.ExcessBlobGas is not null)
                InvalidBlockException.Throw(BlockError.UnexpectedBlobGasFields, "blob gas fields before Cancun");
            if (header.ParentBeaconBlockRoot is not null) InvalidBlockException.Throw(BlockError.UnexpectedParentBeaconRoot, "parent beacon root before Cancun");
        }
        if (fork < Fork.Prague && header.RequestsHash is not null) InvalidBlockException.Throw(BlockError.UnexpectedRequestsHash, "requests hash before Prague");
        if (fork >= Fork.Prague && header.RequestsHash is null) InvalidBlockException.Throw(BlockError.MissingRequestsHash, "no requests hash from Prague");
    }

    private void ValidateDaoExtraData(BlockHeader header)
    {
        if (spec.ProDaoForkBlock() is not { } dao || header.Number < dao || header.Number >= dao + DaoExtraDataRange) return;
        if (!header.ExtraData.AsSpan().SequenceEqual(DaoExtraData))
            InvalidBlockException.Throw(BlockError.InvalidDaoExtraData, $"extra data {Hex.ToHex(header.ExtraData)} in the DAO fork range");
    }
}
