namespace BeamSync.Cli.Fixtures;

/// <summary>
/// Counts a fixture run's outcomes and words its summary; the closing "N passed, N failed[, N skipped]" line is
/// always last, so scripts can read it with <c>tail -1</c>. Not thread-safe (the runner reports files one at a time).
/// </summary>
public sealed class FixtureTally
{
    public int Passed { get; private set; }
    public int Failed { get; private set; }
    public int Skipped { get; private set; }
    public int RejectedForAnotherReason { get; private set; }
    public int UnrecognizedFiles { get; private set; }
    public int Cases => Passed + Failed + Skipped;

    /// <summary>True when something was checked, nothing failed and every file was recognized.</summary>
    public bool Succeeded => Failed == 0 && UnrecognizedFiles == 0 && Passed + Failed > 0;

    public void Add(FileResult file)
    {
        if (file.Unrecognized is not null) UnrecognizedFiles++;
        foreach (var r in file.Cases)
        {
            switch (r.Status)
            {
                case CaseStatus.Passed: Passed++; break;
                case CaseStatus.Failed: Failed++; break;
                default: Skipped++; break;
            }
            if (r.RejectedForAnotherReason) RejectedForAnotherReason++;
        }
    }

    public IEnumerable<string> SummaryLines()
    {
        if (UnrecognizedFiles > 0) yield return $"{UnrecognizedFiles} {Files(UnrecognizedFiles)} not recognized as fixtures";
        if (Passed + Failed == 0) yield return "nothing was checked: no fixture case ran";
        yield return $"{RejectedForAnotherReason} expected-invalid {(RejectedForAnotherReason == 1 ? "case" : "cases")} rejected for another reason than the fixture names";
        yield return Skipped > 0 ? $"{Passed} passed, {Failed} failed, {Skipped} skipped" : $"{Passed} passed, {Failed} failed";
    }

    private static string Files(int n) => n == 1 ? "file" : "files";
}
