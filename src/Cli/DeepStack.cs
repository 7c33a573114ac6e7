using System.Runtime.ExceptionServices;
using BeamSync.Evm;

namespace BeamSync.Cli;

/// <summary>
/// Runs work on a thread with the stack the EVM needs (it recurses up to 1024 calls deep on the executing thread)
/// and waits for it. An exception on that thread is rethrown on the caller's, with its original stack, instead of
/// ending the process.
/// </summary>
public static class DeepStack
{
    public static void Run(Action work)
    {
        ExceptionDispatchInfo? failure = null;
        var worker = new Thread(() =>
        {
            try { work(); }
            catch (Exception e) { failure = ExceptionDispatchInfo.Capture(e); }
        }, VirtualMachine.RequiredStackSize);
        worker.Start();
        worker.Join();
        failure?.Throw();
    }
}
