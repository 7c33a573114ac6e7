using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Db;
using BeamSync.Evm;
using BeamSync.State;

namespace BeamSync.Evm.Tests;

public class InterpreterTests
{
    private static readonly Address Caller = Address.Parse("0x1000000000000000000000000000000000000001");
    private static readonly Address Contract = Address.Parse("0x2000000000000000000000000000000000000002");

    private static (ExecutionResult Result, WorldState State) Run(byte[] code, Fork fork, long gas = 100_000)
    {
        var state = new WorldState(new TrieStateStore(new MemoryKeyValueStore()));
        state.SetCode(Contract, code);
        state.AddBalance(Caller, 1_000_000);
        var block = new BlockContext(Address.Zero, 1, 1, 30_000_000, UInt256.Zero, UInt256.Zero, Hash256.Zero, 1, UInt256.Zero, _ => Hash256.Zero);
        var vm = new VirtualMachine(state, EvmSpec.For(fork), block, new TxContext(Caller, UInt256.One, []));
        return (vm.Call(CallKind.Call, Caller, Contract, Contract, UInt256.Zero, [], gas, false, 0), state);
    }

    [Fact]
    public void Add_and_return_charges_exact_gas()
    {
        // PUSH1 1, PUSH1 2, ADD, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN
        byte[] code = [0x60, 1, 0x60, 2, 0x01, 0x60, 0, 0x52, 0x60, 32, 0x60, 0, 0xf3];
        var (result, _) = Run(code, Fork.Cancun);
        Assert.Equal(EvmStatus.Success, result.Status);
        Assert.Equal(new UInt256(3), new UInt256(result.Output));
        // 3+3+3 (pushes, add) + 3 push + 3 MSTORE + 3 one word of memory + 3+3 pushes + 0 RETURN
        Assert.Equal(100_000 - 24, result.GasLeft);
    }

    [Fact]
    public void Push0_is_invalid_before_Shanghai()
    {
        Assert.Equal(EvmStatus.InvalidOpcode, Run([0x5f], Fork.Paris).Result.Status);
        Assert.Equal(EvmStatus.Success, Run([0x5f], Fork.Shanghai).Result.Status);
    }

    [Fact]
    public void Jump_into_push_data_fails()
    {
        // PUSH1 3, JUMP, PUSH1 0x5b (the 0x5b is data, not a JUMPDEST)
        var (result, _) = Run([0x60, 3, 0x56, 0x60, 0x5b], Fork.Cancun);
        Assert.Equal(EvmStatus.BadJumpDestination, result.Status);
        Assert.Equal(0, result.GasLeft);
    }

    [Fact]
    public void Revert_returns_gas_and_undoes_storage()
    {
        // PUSH1 1, PUSH1 0, SSTORE, PUSH1 0, PUSH1 0, REVERT
        var (result, state) = Run([0x60, 1, 0x60, 0, 0x55, 0x60, 0, 0x60, 0, 0xfd], Fork.Cancun);
        Assert.Equal(EvmStatus.Revert, result.Status);
        Assert.True(result.GasLeft > 0);
        Assert.Equal(UInt256.Zero, state.GetStorage(Contract, 0));
    }

    [Fact]
    public void Stack_underflow_is_an_exceptional_halt()
    {
        Assert.Equal(EvmStatus.StackUnderflow, Run([0x01], Fork.Frontier).Result.Status);
    }

    [Theory]
    [InlineData(1024, EvmStatus.Success)]
    [InlineData(1025, EvmStatus.StackOverflow)]
    public void The_stack_holds_exactly_1024_items(int pushes, EvmStatus expected)
    {
        var code = new byte[pushes];
        code.AsSpan().Fill(0x5f);   // PUSH0
        Assert.Equal(expected, Run(code, Fork.Shanghai).Result.Status);
    }

    [Theory]
    [InlineData(16, EvmStatus.Success)]
    [InlineData(15, EvmStatus.StackUnderflow)]
    public void Dup16_needs_sixteen_items(int pushes, EvmStatus expected)
    {
        var code = new byte[pushes + 1];
        code.AsSpan(0, pushes).Fill(0x5f);
        code[pushes] = 0x8f;   // DUP16
        Assert.Equal(expected, Run(code, Fork.Shanghai).Result.Status);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(20)]
    [InlineData(31)]
    [InlineData(32)]
    public void PushN_as_the_first_instruction_pushes_exactly_its_data(int n)
    {
        // PUSHn 0xa1 0xa2 ..., then the data word is returned (the interpreter reads PUSH data in whole words, so
        // bytes before and after the data must not leak into the value).
        var data = Enumerable.Range(0, n).Select(i => (byte)(0xa1 + i)).ToArray();
        Assert.Equal(new UInt256(data), ReturnedTop([(byte)(0x5f + n), .. data]));
    }

    [Fact]
    public void Pc_and_a_jump_count_from_the_first_code_byte()
    {
        // PUSH1 3, JUMP, JUMPDEST (at 3), PC (at 4)
        Assert.Equal(new UInt256(4), ReturnedTop([0x60, 3, 0x56, 0x5b, 0x58]));
    }

    /// <summary>Runs <paramref name="code"/> followed by a return of the top stack item; that item.</summary>
    private static UInt256 ReturnedTop(byte[] code)
    {
        // PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN
        var (result, _) = Run([.. code, 0x60, 0, 0x52, 0x60, 32, 0x60, 0, 0xf3], Fork.Cancun);
        Assert.Equal(EvmStatus.Success, result.Status);
        return new UInt256(result.Output);
    }

    [Theory]
    [InlineData(Fork.Petersburg, 20000 + 6)]   // legacy set
    [InlineData(Fork.Istanbul, 20000 + 6)]     // EIP-2200 set from clean zero
    [InlineData(Fork.Berlin, 20000 + 2100 + 6)] // EIP-2929 cold slot
    public void Sstore_of_a_fresh_slot_costs_by_fork(Fork fork, long expected)
    {
        var (result, _) = Run([0x60, 1, 0x60, 0, 0x55], fork);
        Assert.Equal(EvmStatus.Success, result.Status);
        Assert.Equal(100_000 - expected, result.GasLeft);
    }

    [Fact]
    public void Every_fork_table_validates()
    {
        foreach (var fork in Enum.GetValues<Fork>()) OpcodeTable.Validate(OpcodeTable.For(fork));
    }
}

public class AddressAndBlobGasTests
{
    [Theory]
    [InlineData(0UL, "0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d")]
    [InlineData(1UL, "0x343c43a37d37dff08ae8c4a11544c718abb4fcf8")]
    public void Create_address_matches_known_answers(ulong nonce, string expected) =>
        Assert.Equal(Address.Parse(expected), VirtualMachine.CreateAddress(Address.Parse("0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0"), nonce));

    [Fact]
    public void Create2_address_matches_EIP1014_example() =>
        Assert.Equal(Address.Parse("0x4D1A2e2bB4F88F0250f26Ffff098B0b30B26BF38"),
            VirtualMachine.Create2Address(Address.Zero, UInt256.Zero, [0x00]));

    [Fact]
    public void Blob_base_fee_follows_the_fake_exponential()
    {
        var cancun = EvmSpec.For(Fork.Cancun);
        Assert.Equal(UInt256.One, BlobGas.BaseFee(0, cancun));
        Assert.Equal(new UInt256(2), BlobGas.BaseFee(3338477, cancun));   // floor(e)
    }
}
