using BeamSync.Evm;
using BeamSync.Node.Devnet;

namespace BeamSync.Node.Tests;

public class DevnetContractsTests
{
    [Fact]
    public void TheInitCodeCopiesItsTailAndReturnsIt()
    {
        var init = DevnetContracts.InitCodeFor(DevnetContracts.Reverter);
        int runtimeLength = DevnetContracts.Reverter.Length;
        // PUSH1 len, DUP1, PUSH1 offset, PUSH0, CODECOPY, PUSH0, RETURN, then the runtime.
        Assert.Equal(new byte[] { (byte)Opcode.PUSH1, (byte)runtimeLength, (byte)Opcode.DUP1, (byte)Opcode.PUSH1, 9, (byte)Opcode.PUSH0, (byte)Opcode.CODECOPY, (byte)Opcode.PUSH0, (byte)Opcode.RETURN }, init[..9]);
        Assert.Equal(DevnetContracts.Reverter, init[9..]);
    }

    [Fact]
    public void JumpLabelsLandOnJumpDestinations()
    {
        foreach (var code in new[] { DevnetContracts.Token, DevnetContracts.SlotWriter, DevnetContracts.Reverter })
            for (int pc = 0; pc < code.Length; pc++)
            {
                var op = (Opcode)code[pc];
                if (op == Opcode.PUSH1 + 1 && pc + 3 < code.Length && code[pc + 3] is (byte)Opcode.JUMP or (byte)Opcode.JUMPI)
                    Assert.Equal((byte)Opcode.JUMPDEST, code[code[pc + 1] << 8 | code[pc + 2]]);
                if (op is >= Opcode.PUSH1 and <= Opcode.PUSH32) pc += op - Opcode.PUSH1 + 1;
            }
    }

    [Fact]
    public void TheTransferTopicIsTheErc20EventSignature()
    {
        Assert.Equal("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef", DevnetContracts.TransferTopic.ToString());
    }
}
