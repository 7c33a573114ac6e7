namespace BeamSync.Core.Specs;

public sealed partial class ChainSpec
{
    /// <summary>
    /// Rejects schedules no client would run: a fork listed twice, a fork with the wrong kind of trigger, a later
    /// fork scheduled before an earlier one, a BPO fork without blob parameters.
    /// </summary>
    private static void ValidateSchedule(ForkActivation[] sorted, Dictionary<Fork, BlobParameters> blobSchedule)
    {
        ForkActivation? previous = null;
        foreach (var a in sorted)
        {
            if (a.Fork == Fork.Paris)
                throw new ChainSpecException("Paris is set by terminalTotalDifficulty, not scheduled by block or time");
            if (ForkActivation.TriggerOf(a.Fork) != a.Trigger)
                throw new ChainSpecException($"{a.Fork} must be activated by {(ForkActivation.TriggerOf(a.Fork) == ForkTrigger.Block ? "block number" : "timestamp")}");
            if (previous is { } p)
            {
                if (p.Fork == a.Fork) throw new ChainSpecException($"{a.Fork} is scheduled twice");
                if (p.Trigger == a.Trigger && p.At > a.At)
                    throw new ChainSpecException($"{a.Fork} at {a.At} is scheduled before the earlier fork {p.Fork} at {p.At}");
            }
            if (a.Fork >= Fork.Bpo1 && !blobSchedule.ContainsKey(a.Fork))
                throw new ChainSpecException($"{a.Fork} is scheduled but blobSchedule has no entry for it");
            previous = a;
        }
        foreach (var (fork, p) in blobSchedule)
        {
            if (fork < Fork.Cancun) throw new ChainSpecException($"blobSchedule entry for {fork}, which predates blobs");
            if (p.Target > p.Max) throw new ChainSpecException($"blobSchedule {fork}: target {p.Target} exceeds max {p.Max}");
            if (p.BaseFeeUpdateFraction == 0) throw new ChainSpecException($"blobSchedule {fork}: baseFeeUpdateFraction must be positive");
        }
    }
}
