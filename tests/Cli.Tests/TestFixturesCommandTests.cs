using System.Text.Json;
using BeamSync.Cli.Fixtures;
using BeamSync.Tests.Shared;

namespace BeamSync.Cli.Tests;

[Collection(ConsoleCollection.Name)]
public class TestFixturesCommandTests
{
    private const string RlpFixture = "ethereum-tests/RLPTests/invalidRLPTest.json";
    // Its one block is rejected for its empty-transactions-root header, not the gas allowance the fixture names.
    private const string OtherReasonFixture = "ethereum-tests/BlockchainTests/InvalidBlocks/bcStateTests/gasLimitTooHigh.json";

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Theory]
    [InlineData("{\"a\":1}")]
    [InlineData("[1,2]")]
    [InlineData("{}")]
    [InlineData("{\"config\":{\"chainId\":1},\"alloc\":{}}")]
    public void AFileNoKindRecognizesIsReportedAndFailsTheRun(string contents)
    {
        using var temp = new TempFolder();
        var path = temp.File("x.json", contents);
        var (exit, output) = ConsoleCapture.Run("test-fixtures", path);
        Assert.Equal(ExitCodes.Rejected, exit);
        Assert.Contains($"UNRECOGNIZED {path}", output);
        Assert.Contains("1 file not recognized as fixtures", output);
        Assert.Equal("0 passed, 0 failed", Lines(output)[^1]);
    }

    [Fact]
    public void AnEmptyFolderChecksNothingAndFails()
    {
        using var temp = new TempFolder();
        var (exit, output) = ConsoleCapture.Run("test-fixtures", temp.Folder("empty"));
        Assert.Equal(ExitCodes.Rejected, exit);
        Assert.Contains("nothing was checked", output);
    }

    [FixtureFact(RlpFixture)]
    public void AnUnrecognizedFileBesideRealFixturesStillFailsTheRun()
    {
        using var temp = new TempFolder();
        File.Copy(TestFixtures.PathOf(RlpFixture), Path.Combine(temp.Path, "rlp.json"));
        temp.File("notes.json", "{\"a\":1}");
        var (exit, output) = ConsoleCapture.Run("test-fixtures", temp.Path);
        Assert.Equal(ExitCodes.Rejected, exit);
        Assert.Matches(@"^[1-9]\d* passed, 0 failed$", Lines(output)[^1]);
    }

    [Theory]
    [InlineData("-j", "0")]
    [InlineData("--jobs", "-3")]
    [InlineData("--jobs", "many")]
    [InlineData("--no-such-option", "x")]
    public void OptionErrorsAreOneLineUsageErrors(string option, string value)
    {
        using var temp = new TempFolder();
        var (exit, output) = ConsoleCapture.Run("test-fixtures", option, value, temp.Path);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Single(Lines(output));
        Assert.StartsWith("error: ", output);
    }

    [Fact]
    public void AMissingPathIsAUsageError()
    {
        var (exit, output) = ConsoleCapture.Run("test-fixtures", "/no/such/fixture/folder");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("error: fixture path not found: /no/such/fixture/folder", output.Trim());
    }

    [FixtureFact(OtherReasonFixture)]
    public void CasesRejectedForAnotherReasonAreCountedOnTheLineBeforeTheClosingOne()
    {
        var (exit, output) = ConsoleCapture.Run("test-fixtures", TestFixtures.PathOf(OtherReasonFixture));
        Assert.Equal(ExitCodes.Success, exit);
        var lines = Lines(output);
        Assert.Equal("1 passed, 0 failed", lines[^1]);
        Assert.Equal("1 expected-invalid case rejected for another reason than the fixture names", lines[^2]);
    }

    [FixtureFact(OtherReasonFixture)]
    public void JsonListsTheCasesRejectedForAnotherReason()
    {
        var (_, output) = ConsoleCapture.Run("test-fixtures", "--json", TestFixtures.PathOf(OtherReasonFixture));
        using var line = JsonDocument.Parse(Lines(output)[0]);
        Assert.True(line.RootElement.GetProperty("rejectedForAnotherReason").GetBoolean());
        Assert.Contains("GAS_ALLOWANCE_EXCEEDED", line.RootElement.GetProperty("reason").GetString());
    }

    [FixtureFact("eest/blockchain_tests/cancun/eip4844_blobs/blob_type_tx_pre_fork.json")]
    public void ABlobTransactionBeforeCancunIsRejectedForTheFixturesReason()
    {
        var (exit, output) = ConsoleCapture.Run("test-fixtures", TestFixtures.PathOf("eest/blockchain_tests/cancun/eip4844_blobs/blob_type_tx_pre_fork.json"));
        Assert.Equal(ExitCodes.Success, exit);
        Assert.StartsWith("0 expected-invalid cases rejected for another reason", Lines(output)[^2]);
    }

    /// <summary>A kind that reports every case as skipped (as a NotSupportedException under a case does).</summary>
    private sealed class SkippingKind(bool implemented) : IFixtureKind
    {
        public string Name => "Skipping";
        public bool Implemented => implemented;
        public bool Recognizes(string path, JsonElement firstCase) => true;
        public IEnumerable<CaseResult> Run(string path, JsonElement root) => [new CaseResult(path, "t", "", CaseStatus.Skipped, "not supported: X")];
    }

    [Theory]
    [InlineData(true, false, CaseStatus.Failed)]
    [InlineData(true, true, CaseStatus.Failed)]
    [InlineData(false, false, CaseStatus.Skipped)]
    [InlineData(false, true, CaseStatus.Failed)]
    public void OnlyKindsNotImplementedMaySkipAndNeverUnderCi(bool implemented, bool ci, CaseStatus expected)
    {
        using var temp = new TempFolder();
        var path = temp.File("t.json", "{\"t\":{}}");
        var result = new FixtureRunner([new SkippingKind(implemented)], skipsFail: ci).RunFile(path);
        var only = Assert.Single(result.Cases);
        Assert.Equal(expected, only.Status);
        Assert.Contains("not supported: X", only.Reason);
    }

    [Fact]
    public void TheClosingLineIsLastAndNamesSkipsOnlyWhenThereAreSome()
    {
        var tally = new FixtureTally();
        tally.Add(new FileResult("f", [CaseResult.Pass("f", "a"), new CaseResult("f", "b", "", CaseStatus.Skipped, "pending")]));
        Assert.Equal("1 passed, 0 failed, 1 skipped", tally.SummaryLines().Last());
        Assert.True(tally.Succeeded);
    }
}
