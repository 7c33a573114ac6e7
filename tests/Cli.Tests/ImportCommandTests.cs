using BeamSync.Db;
using BeamSync.Tests.Shared;

namespace BeamSync.Cli.Tests;

/// <summary>Every user error of <c>beamsync import</c> is one line naming what is wrong, with its exit code.</summary>
[Collection(ConsoleCollection.Name)]
public class ImportCommandTests
{
    private const string Chain = "chains/geth-ethtest";

    private static string Genesis => TestFixtures.PathOf($"{Chain}/genesis.json");
    private static string ChainRlp => TestFixtures.PathOf($"{Chain}/chain.rlp");

    private static string OneErrorLine(string output)
    {
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), l => l.StartsWith("error: "));
        Assert.DoesNotContain("   at ", output);
        return line;
    }

    [FixtureFact(Chain)]
    public void ADatadirThatIsAFileIsADatadirError()
    {
        using var temp = new TempFolder();
        var datadir = temp.File("datadir", "x");
        var (exit, output) = ConsoleCapture.Run("import", "--genesis", Genesis, "--datadir", datadir, ChainRlp);
        Assert.Equal(ExitCodes.DataDir, exit);
        Assert.Equal($"error: datadir {datadir} is a file, not a directory", OneErrorLine(output));
    }

    [FixtureFact(Chain)]
    public void ADatadirInUseIsADatadirError()
    {
        using var temp = new TempFolder();
        var datadir = Path.Combine(temp.Path, "db");
        using (RocksKeyValueStore.Open(datadir))
        {
            var (exit, output) = ConsoleCapture.Run("import", "--genesis", Genesis, "--datadir", datadir, ChainRlp);
            Assert.Equal(ExitCodes.DataDir, exit);
            Assert.StartsWith($"error: datadir {datadir} is in use by another process", OneErrorLine(output));
        }
    }

    [FixtureFact(Chain)]
    public void BadChainFilesAreNamedUsageErrors()
    {
        using var temp = new TempFolder();
        var datadir = Path.Combine(temp.Path, "db");
        var folder = temp.Folder("folder");
        var missing = Path.Combine(temp.Path, "missing.rlp");
        var empty = temp.File("empty.rlp", "");
        foreach (var (chain, message) in new[]
        {
            (folder, $"error: chain file {folder} is a directory, not a file"),
            (missing, $"error: chain file {missing} does not exist"),
            (empty, $"error: chain file {empty} is empty: no blocks to import"),
        })
        {
            var (exit, output) = ConsoleCapture.Run("import", "--genesis", Genesis, "--datadir", datadir, chain);
            Assert.Equal(ExitCodes.Usage, exit);
            Assert.Equal(message, OneErrorLine(output));
        }
    }

    [FixtureFact(Chain)]
    public void ADecodeErrorNamesTheBlockByNumber()
    {
        using var temp = new TempFolder();
        var blocks = File.ReadAllBytes(ChainRlp);
        int firstLength = 3 + (blocks[1] << 8 | blocks[2]); // block 1 is a few hundred bytes: f9 + 2 length bytes
        Assert.Equal(0xf9, blocks[0]);
        // Block 1, then block 2 with one byte cut off the end of the file.
        int secondLength = 3 + (blocks[firstLength + 1] << 8 | blocks[firstLength + 2]);
        var chain = temp.File("cut.rlp", blocks[..(firstLength + secondLength - 1)]);
        var (exit, output) = ConsoleCapture.Run("import", "--genesis", Genesis, "--datadir", Path.Combine(temp.Path, "db"), chain);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.StartsWith($"error: chain file {chain}: the block after block 1 (block 2 of the file, at byte {firstLength})", OneErrorLine(output));
    }

    [FixtureFact(Chain, "chains/mainnet/genesis.json")]
    public void ADatadirRefusesAnotherGenesisAndReportsZeroNewBlocksOnAReimport()
    {
        using var temp = new TempFolder();
        var datadir = Path.Combine(temp.Path, "db");
        var (exit, output) = ConsoleCapture.Run("import", "--genesis", Genesis, "--datadir", datadir, ChainRlp);
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("600 new blocks", output);

        (exit, output) = ConsoleCapture.Run("import", "--genesis", Genesis, "--datadir", datadir, ChainRlp);
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("0 new blocks (600 already there)", output);

        (exit, output) = ConsoleCapture.Run("import", "--genesis", TestFixtures.PathOf("chains/mainnet/genesis.json"), "--datadir", datadir, ChainRlp);
        Assert.Equal(ExitCodes.DataDir, exit);
        Assert.Contains($"error: datadir {datadir} holds the chain of genesis", OneErrorLine(output));
    }

    [FixtureFact(Chain)]
    public void ADatadirRefusesTheSameGenesisForAnotherChainId()
    {
        using var temp = new TempFolder();
        var datadir = Path.Combine(temp.Path, "db");
        var firstBlock = File.ReadAllBytes(ChainRlp);
        var oneBlock = temp.File("one.rlp", firstBlock[..(3 + (firstBlock[1] << 8 | firstBlock[2]))]);
        Assert.Equal(ExitCodes.Success, ConsoleCapture.Run("import", "--genesis", Genesis, "--datadir", datadir, oneBlock).Exit);

        var genesis = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Genesis))!;
        genesis["config"]!["chainId"] = 4242;
        var otherNetwork = temp.File("other.json", genesis.ToJsonString());
        var (exit, output) = ConsoleCapture.Run("import", "--genesis", otherNetwork, "--datadir", datadir, oneBlock);
        Assert.Equal(ExitCodes.DataDir, exit);
        Assert.Contains("this genesis file is for chain id 4242", OneErrorLine(output));
    }

    [Fact]
    public void AMissingGenesisFileIsAUsageError()
    {
        using var temp = new TempFolder();
        var missing = Path.Combine(temp.Path, "genesis.json");
        var (exit, output) = ConsoleCapture.Run("import", "--genesis", missing, "--datadir", temp.Path, missing);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal($"error: genesis file {missing} does not exist", OneErrorLine(output));
    }

    [Fact]
    public void Help_offers_the_working_commands_and_no_placeholder()
    {
        var (exit, output) = ConsoleCapture.Run("--help");
        Assert.Equal(ExitCodes.Success, exit);
        foreach (var command in new[] { "import", "devnet", "run", "test-fixtures", "genesis" }) Assert.Contains(command, output);
        Assert.DoesNotContain("not available", output);
    }
}
