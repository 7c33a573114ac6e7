namespace BeamSync.Cli.Tests;

/// <summary>Tests that swap the process's console run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";
}

/// <summary>Runs the CLI in-process with its standard output and error captured.</summary>
internal static class ConsoleCapture
{
    public static (int Exit, string Output) Run(params string[] args)
    {
        var originalOut = Console.Out;
        var originalError = Console.Error;
        var output = new StringWriter();
        Console.SetOut(output);
        Console.SetError(output);
        try
        {
            int exit = Program.Main(args);
            return (exit, output.ToString());
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
        }
    }
}
