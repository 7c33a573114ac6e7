using BeamSync.Chain.Genesis;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;

namespace BeamSync.Cli;

/// <summary>The checks every command makes on the files it is given; each failure is a <see cref="CliException"/> naming the file.</summary>
public static class InputFiles
{
    /// <summary>Throws a usage error unless <paramref name="path"/> is an existing regular file; <paramref name="what"/> names it ("chain file").</summary>
    public static void RequireFile(string path, string what)
    {
        if (Directory.Exists(path)) throw new CliException(ExitCodes.Usage, $"{what} {path} is a directory, not a file");
        if (!File.Exists(path)) throw new CliException(ExitCodes.Usage, $"{what} {path} does not exist");
    }

    /// <summary>Loads a geth-style genesis file that must hold a genesis block (not only a config).</summary>
    public static ChainSpec LoadGenesis(string path)
    {
        RequireFile(path, "genesis file");
        ChainSpec spec;
        try { spec = ChainSpec.Load(path); }
        catch (ChainSpecException e) { throw new CliException(ExitCodes.Usage, $"genesis file {e.Message}", e); }
        if (spec.Genesis is null) throw new CliException(ExitCodes.Usage, $"genesis file {path} has a config but no genesis block");
        return spec;
    }

    /// <summary>The genesis header of <paramref name="spec"/>, its state trie hashed in memory (no database).</summary>
    public static BlockHeader GenesisHeader(ChainSpec spec) => GenesisBlock.HeaderOfAlloc(spec);
}
