namespace BeamSync.Bench;

/// <summary>
/// The one-shot <c>erc20-alloc</c> mode: bytes allocated on the executing thread per ERC-20 transfer by the block
/// path of <see cref="Erc20Block"/> (every transfer through <c>TransactionProcessor</c>, then the state-root
/// commit), after warm-up runs so one-time JIT and cache allocations are not counted. Prints the median over runs
/// of the whole block and of the transactions alone, per transfer.
/// </summary>
internal static class Erc20Allocations
{
    public static void Run(string[] args)
    {
        int runs = 5, warmup = 3;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            if (args[i] == "--runs") runs = int.Parse(args[i + 1]);
            else if (args[i] == "--warmup") warmup = int.Parse(args[i + 1]);
        }
        var block = new Erc20Block();
        block.RecoverSenders();
        for (int w = 0; w < warmup; w++) block.Execute(block.CreatePreState());

        var whole = new long[runs];
        var transactionsOnly = new long[runs];
        for (int r = 0; r < runs; r++)
        {
            var pre = block.CreatePreState();
            long start = GC.GetAllocatedBytesForCurrentThread();
            block.Execute(pre, commit: false);
            transactionsOnly[r] = GC.GetAllocatedBytesForCurrentThread() - start;
            pre = block.CreatePreState();
            start = GC.GetAllocatedBytesForCurrentThread();
            block.Execute(pre);
            whole[r] = GC.GetAllocatedBytesForCurrentThread() - start;
        }
        Array.Sort(whole);
        Array.Sort(transactionsOnly);
        Console.WriteLine($"erc20-alloc: {Erc20Block.TransferCount} transfers, median of {runs} runs after {warmup} warm-up");
        Console.WriteLine($"block (transactions and state-root commit): {whole[runs / 2] / Erc20Block.TransferCount:N0} B per transfer");
        Console.WriteLine($"transactions only: {transactionsOnly[runs / 2] / Erc20Block.TransferCount:N0} B per transfer");
    }
}
