using BeamSync.Tests.Shared;

namespace BeamSync.Cli.Tests;

[Collection(ConsoleCollection.Name)]
public class GenesisCommandTests
{
    [FixtureTheory("chains/mainnet/genesis.json", "chains/sepolia/genesis.json", "chains/hoodi/genesis.json")]
    [InlineData("mainnet", "0xd7f8974fb5ac78d9ac099b9ad5018bedc2ce0a72dad1827a1709da30580f0544", "0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3")]
    [InlineData("sepolia", "0x5eb6e371a698b8d68f665192350ffcecbbbf322916f4b51bd79bb6887da3f494", "0x25a5cc106eea7138acab33231d7160d69cb777ee0c2c553fcddf5138993e6dd9")]
    [InlineData("hoodi", null, "0xbbe312868b376a3001692a646dd2d7d1e4406380dfd86b98aa8a34d1557c971b")]
    public void PrintsTheKnownAnswers(string network, string? stateRoot, string hash)
    {
        var path = TestFixtures.PathOf($"chains/{network}/genesis.json");
        var (exit, output) = ConsoleCapture.Run("genesis", path);
        Assert.Equal(0, exit);
        if (stateRoot is not null) Assert.Contains($"state root  {stateRoot}", output);
        Assert.Contains($"block hash  {hash}", output);
    }

    [Fact]
    public void RejectsAFileThatIsNotJson()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "not json");
        try
        {
            var (exit, _) = ConsoleCapture.Run("genesis", path);
            Assert.Equal(2, exit);
        }
        finally { File.Delete(path); }
    }
}
