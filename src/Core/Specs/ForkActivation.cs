namespace BeamSync.Core.Specs;

/// <summary>How a fork switches on: at a block number (up to Gray Glacier) or at a block timestamp (Shanghai on).</summary>
public enum ForkTrigger
{
    Block,
    Timestamp,
}

/// <summary>One entry of a fork schedule: <paramref name="Fork"/> applies from <paramref name="At"/> (a block number
/// or a timestamp in seconds, per <paramref name="Trigger"/>) on.</summary>
public readonly record struct ForkActivation(Fork Fork, ForkTrigger Trigger, ulong At)
{
    /// <summary>The trigger each fork must use: time for Shanghai and later, block numbers before.</summary>
    public static ForkTrigger TriggerOf(Fork fork) => fork >= Fork.Shanghai ? ForkTrigger.Timestamp : ForkTrigger.Block;
}
