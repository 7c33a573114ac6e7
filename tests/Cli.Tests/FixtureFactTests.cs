using BeamSync.Tests.Shared;

namespace BeamSync.Cli.Tests;

public class FixtureFactTests
{
    [Fact]
    public void AMissingFixtureSkipsWithItsPathOutsideCiAndRunsUnderCi()
    {
        var reason = new FixtureFactAttribute("no/such/fixture.json").Skip;
        if (TestFixtures.IsCi) Assert.Null(reason);
        else Assert.Contains("no/such/fixture.json", reason);
    }

    [FixtureFact("chains")]
    public void APresentFixtureRuns() => Assert.Null(new FixtureFactAttribute("chains", "chains/mainnet/genesis.json").Skip);
}
