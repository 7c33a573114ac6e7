using System.Diagnostics;
using BeamSync.Tests.Shared;

namespace BeamSync.Evm.Tests.Precompiles;

/// <summary>
/// The machine code in FpNativeKernels.Code.cs is bytes no one reads: it must be exactly what Native/generate.py makes
/// from the assembly it writes, so that reviewing the script is reviewing the code that runs.
/// </summary>
public class BlsKernelSourceTests
{
    [Fact]
    public void The_committed_machine_code_is_what_the_generator_assembles()
    {
        var root = RepoRoot();
        var folder = Path.Combine(root, "src", "Evm", "Precompiles", "Bls12381");
        var output = Path.Combine(Path.GetTempPath(), $"beamsync-kernels-{Guid.NewGuid():N}.cs");
        try
        {
            if (!TryRun("python3", [Path.Combine(folder, "Native", "generate.py"), "--out", output], out var error))
            {
                // Outside CI a machine without python3 or binutils passes over this; CI installs both.
                if (TestFixtures.IsCi) Assert.Fail($"CI=true and the kernel generator could not run: {error}");
                return;
            }
            Assert.Equal(File.ReadAllText(Path.Combine(folder, "FpNativeKernels.Code.cs")), File.ReadAllText(output));
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static bool TryRun(string program, string[] arguments, out string error)
    {
        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            error = e.Message;
            return false;
        }
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BeamSync.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("BeamSync.sln not found above the test's folder");
    }
}
