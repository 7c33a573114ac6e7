using BeamSync.Evm;

namespace BeamSync.Chain.Tests;

/// <summary>Runs block execution on a thread with the stack the EVM's 1024-deep call recursion needs.</summary>
internal static class LargeStack
{
    public static void Run(Action action)
    {
        Exception? failure = null;
        var thread = new Thread(() => { try { action(); } catch (Exception e) { failure = e; } }, VirtualMachine.RequiredStackSize);
        thread.Start();
        thread.Join();
        if (failure is not null) throw new Xunit.Sdk.XunitException(failure.ToString());
    }
}
