using BeamSync.Evm;
using BeamSync.Node.Devnet;

namespace BeamSync.Node.Tests;

/// <summary>Small devnets for tests, and a thread with the stack block execution needs.</summary>
internal static class DevnetTestSupport
{
    /// <summary>1,000 accounts and 25 contracts (one of 600 slots): every workload kind fits, generation takes well under a second.</summary>
    public static DevnetOptions Small(ulong seed = 7) => new()
    {
        Seed = seed, Accounts = 1_000, Contracts = 25, AverageSlots = 20, LargeContracts = 1, LargeContractSlots = 600,
        TransactionsPerBlock = 150, StateWindow = 3,
    };

    public static T OnExecutionThread<T>(Func<T> work)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { result = work(); }
            catch (Exception e) { failure = e; }
        }, VirtualMachine.RequiredStackSize);
        thread.Start();
        thread.Join();
        return failure is null ? result : throw new Xunit.Sdk.XunitException(failure.ToString());
    }
}
