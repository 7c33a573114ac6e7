namespace BeamSync.Core.Specs;

public sealed partial class ChainSpec
{
    /// <summary>
    /// A copy with another name, chain id or genesis, and/or extra blob-schedule entries (which replace same-fork
    /// entries): fixtures whose <c>config</c> overrides a named network's defaults, a built-in network with its genesis.
    /// </summary>
    public ChainSpec With(
        string? name = null, ulong? chainId = null, IReadOnlyDictionary<Fork, BlobParameters>? blobSchedule = null,
        GenesisSpec? genesis = null)
    {
        var blobs = new Dictionary<Fork, BlobParameters>(_blobSchedule);
        if (blobSchedule is not null)
            foreach (var (fork, p) in blobSchedule) blobs[fork] = p;
        return new ChainSpec(chainId ?? ChainId, _activations, blobs)
        {
            Name = name ?? Name,
            DaoForkSupport = DaoForkSupport,
            Eip155Block = Eip155Block,
            TerminalTotalDifficulty = TerminalTotalDifficulty,
            MergeBlock = MergeBlock,
            MergeNetsplitBlock = MergeNetsplitBlock,
            DepositContractAddress = DepositContractAddress,
            Engine = Engine,
            Clique = Clique,
            Genesis = genesis ?? Genesis,
            GenesisTimestamp = _genesisTimestamp,
            KnownGenesisHash = KnownGenesisHash,
        };
    }
}
