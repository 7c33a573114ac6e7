using BeamSync.Chain;

namespace BeamSync.Cli.Fixtures;

public enum ImportResult
{
    /// <summary>The block imported.</summary>
    Accepted,
    /// <summary>The chain rejected the block as invalid (<see cref="ImportOutcome.Error"/> says why).</summary>
    Rejected,
    /// <summary>Its RLP is not a block.</summary>
    Undecodable,
    /// <summary>It needs rules still to come.</summary>
    Unsupported,
    /// <summary>
    /// Our side could not read the state the block needs (a node that did not arrive, or data our store lacks): never
    /// a verdict on the block, always a failure of the case.
    /// </summary>
    StateUnavailable,
}

/// <summary>
/// What importing one fixture block did, in a form two runs of the same case (over a full store, and beam syncing
/// from a serving node) can be compared by: equal results and errors mean the block was judged the same.
/// </summary>
public readonly record struct ImportOutcome(ImportResult Result, string Message = "", BlockError? Error = null)
{
    public static readonly ImportOutcome Accepted = new(ImportResult.Accepted);

    /// <summary>Imports <paramref name="block"/> into <paramref name="chain"/>, turning every way it can end into an outcome.</summary>
    public static ImportOutcome Of(Blockchain chain, Core.Types.Block block)
    {
        try
        {
            chain.Import(block);
            return Accepted;
        }
        catch (InvalidBlockException e) { return new(ImportResult.Rejected, e.Message, e.Error); }
        catch (NotSupportedException e) { return new(ImportResult.Unsupported, e.Message); }
        catch (Exception e) when (e is Trie.MissingTrieNodeException or ChainDataMissingException)
        {
            return new(ImportResult.StateUnavailable, $"{e.GetType().Name}: {e.Message}");
        }
    }
}
