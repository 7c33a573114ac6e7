using BeamSync.Core.Crypto;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;

namespace BeamSync.Core.Tests.Types;

public class TransactionTests
{
    private static readonly Address SampleSender = Secp256k1Curve.ToAddress(Secp256k1Curve.GetPublicKey(Samples.Key));

    [Fact]
    public void Eip155ExampleMatchesPublishedSigningHashAndSignature()
    {
        // The worked example in EIP-155: nonce 9, 20 gwei, 21000 gas, to 0x3535..., 1 ether, chain id 1, key 0x4646...
        var unsigned = new Transaction
        {
            ChainId = 1, Nonce = 9, GasPrice = 20_000_000_000UL, GasLimit = 21_000, To = Samples.To,
            Value = 1_000_000_000_000_000_000UL, V = 37,
        };
        Assert.Equal(Hash256.Parse("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53"), unsigned.SigningHash());
        var signed = new Transaction
        {
            ChainId = 1, Nonce = 9, GasPrice = 20_000_000_000UL, GasLimit = 21_000, To = Samples.To,
            Value = 1_000_000_000_000_000_000UL,
        }.Sign(Samples.Key);
        Assert.Equal(
            "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83",
            Hex.ToHex(signed.EncodeCanonical()));
        Assert.Equal(SampleSender, signed.Sender);
    }

    [Fact]
    public void EveryTypeRoundTripsAndRecoversItsSender()
    {
        foreach (var tx in Samples.AllTypes())
        {
            var encoded = tx.EncodeCanonical();
            Assert.Equal(tx.CanonicalLength, encoded.Length);
            var decoded = Transaction.DecodeCanonical(encoded);
            Assert.Equal(tx.Type, decoded.Type);
            Assert.Equal(encoded, decoded.EncodeCanonical());
            Assert.Equal(Keccak256.Hash(encoded), decoded.Hash);
            Assert.Equal(SampleSender, decoded.Sender);
            decoded.Validate(Fork.Osaka, 1);
        }
    }

    [Fact]
    public void InListFormWrapsTypedTransactionsAsStrings()
    {
        foreach (var tx in Samples.AllTypes())
        {
            var buffer = new byte[tx.LengthInList];
            var writer = new RlpWriter(buffer);
            tx.WriteInList(ref writer);
            Assert.Equal(buffer.Length, writer.Position);
            var reader = new RlpReader(buffer);
            Assert.Equal(tx.Type == TransactionType.Legacy, reader.PeekIsList());
            var decoded = Transaction.ReadFromList(ref reader);
            reader.EnsureEnd();
            Assert.Equal(tx.Hash, decoded.Hash);
        }
    }

    [Fact]
    public void LegacyTransactionInsideAStringIsRejected()
    {
        var legacy = Samples.Legacy().EncodeCanonical();
        var wrapped = Rlp.EncodeBytes(legacy);
        var ex = Assert.Throws<TransactionException>(() =>
        {
            var reader = new RlpReader(wrapped);
            Transaction.ReadFromList(ref reader);
        });
        Assert.Equal(TransactionError.TypeNotSupported, ex.Error);
    }

    [Theory]
    [InlineData(TransactionType.AccessList, Fork.Istanbul, Fork.Berlin)]
    [InlineData(TransactionType.DynamicFee, Fork.Berlin, Fork.London)]
    [InlineData(TransactionType.Blob, Fork.Shanghai, Fork.Cancun)]
    [InlineData(TransactionType.SetCode, Fork.Cancun, Fork.Prague)]
    public void TypesAreEnabledByTheirFork(TransactionType type, Fork before, Fork from)
    {
        var tx = Array.Find(Samples.AllTypes(), t => t.Type == type)!;
        var ex = Assert.Throws<TransactionException>(() => tx.Validate(before, 1));
        Assert.Equal(TransactionError.TypeNotSupported, ex.Error);
        tx.Validate(from, 1);
    }

    [Fact]
    public void ReplayProtectedLegacyNeedsSpuriousDragonAndTheRightChain()
    {
        var tx = Samples.Legacy(chainId: 1);
        Assert.Equal(TransactionError.InvalidSignature, Assert.Throws<TransactionException>(() => tx.Validate(Fork.TangerineWhistle, 1)).Error);
        tx.Validate(Fork.SpuriousDragon, 1);
        Assert.Equal(TransactionError.InvalidChainId, Assert.Throws<TransactionException>(() => tx.Validate(Fork.SpuriousDragon, 5)).Error);
        Samples.Legacy().Validate(Fork.Prague, 5); // unprotected v = 27/28 stays valid on any chain
    }

    [Fact]
    public void HighSIsValidInFrontierOnly()
    {
        var tx = Samples.Legacy();
        var highS = new Transaction
        {
            Nonce = tx.Nonce, GasPrice = tx.GasPrice, GasLimit = tx.GasLimit, To = tx.To, Value = tx.Value,
            V = tx.V == 27 ? new UInt256(28) : new UInt256(27), R = tx.R, S = FlipS(tx.S),
        };
        highS.Validate(Fork.Frontier, 1);
        Assert.Equal(SampleSender, highS.Sender);
        Assert.Equal(TransactionError.InvalidSignature, Assert.Throws<TransactionException>(() => highS.Validate(Fork.Homestead, 1)).Error);
    }

    private static UInt256 FlipS(UInt256 s) =>
        UInt256.FromBigInteger(Secp256k1Curve.N.ToBigInteger() - s.ToBigInteger());

    [Fact]
    public void IntrinsicGasFollowsTheForks()
    {
        var data = new byte[] { 0, 0, 1, 2, 0, 3 }; // 3 zero, 3 nonzero
        var call = Samples.Legacy(data: data);
        Assert.Equal(21_000UL + 3 * 4 + 3 * 68, IntrinsicGas.Calculate(call, Fork.Frontier));
        Assert.Equal(21_000UL + 3 * 4 + 3 * 16, IntrinsicGas.Calculate(call, Fork.Istanbul));

        var create = Samples.Legacy(data: new byte[33], create: true);
        Assert.Equal(21_000UL + 33 * 4, IntrinsicGas.Calculate(create, Fork.Frontier));
        Assert.Equal(53_000UL + 33 * 4, IntrinsicGas.Calculate(create, Fork.Homestead));
        Assert.Equal(53_000UL + 33 * 4 + 2 * 2, IntrinsicGas.Calculate(create, Fork.Shanghai));

        var withAccessList = Samples.AccessList(); // 2 addresses, 2 keys, data 0,1,2,0
        Assert.Equal(21_000UL + 2 * 4 + 2 * 16 + 2 * 2400 + 2 * 1900, IntrinsicGas.Calculate(withAccessList, Fork.Berlin));

        var setCode = Samples.SetCode(); // 2 authorizations, data [1]
        Assert.Equal(21_000UL + 16 + 2 * 25_000, IntrinsicGas.Calculate(setCode, Fork.Prague));
    }

    [Fact]
    public void CalldataFloorAppliesFromPrague()
    {
        var data = new byte[1000];
        Array.Fill(data, (byte)0xff);
        Assert.Equal(21_000UL + 1000 * 4 * 10, IntrinsicGas.CalldataFloor(Samples.Legacy(data: data)));
        var tx = new Transaction
        {
            Type = TransactionType.DynamicFee, ChainId = 1, MaxFeePerGas = 10UL, GasLimit = 21_000 + 16_000 + 1, To = Samples.To, Data = data,
        }.Sign(Samples.Key);
        tx.Validate(Fork.Cancun, 1);
        Assert.Equal(TransactionError.CalldataFloorTooLow, Assert.Throws<TransactionException>(() => tx.Validate(Fork.Prague, 1)).Error);
    }

    [Fact]
    public void IntrinsicGasAboveTheLimitIsRejected()
    {
        var tx = new Transaction { ChainId = 1, GasPrice = 1UL, GasLimit = 20_999, To = Samples.To }.Sign(Samples.Key);
        Assert.Equal(TransactionError.IntrinsicGasTooLow, Assert.Throws<TransactionException>(() => tx.Validate(Fork.London, 1)).Error);
    }

    [Fact]
    public void OsakaCapsTheGasLimit()
    {
        var tx = new Transaction { ChainId = 1, GasPrice = 1UL, GasLimit = (1UL << 24) + 1, To = Samples.To }.Sign(Samples.Key);
        tx.Validate(Fork.Prague, 1);
        Assert.Equal(TransactionError.GasLimitAboveCap, Assert.Throws<TransactionException>(() => tx.Validate(Fork.Osaka, 1)).Error);
    }

    [Fact]
    public void InitCodeLimitFromShanghai()
    {
        var tx = new Transaction { ChainId = 1, GasPrice = 1UL, GasLimit = 10_000_000, To = null, Data = new byte[Transaction.MaxInitCodeSize + 1] }.Sign(Samples.Key);
        tx.Validate(Fork.Paris, 1);
        Assert.Equal(TransactionError.InitCodeSizeExceeded, Assert.Throws<TransactionException>(() => tx.Validate(Fork.Shanghai, 1)).Error);
    }

    [Fact]
    public void BlobTransactionShapeRules()
    {
        Assert.Equal(TransactionError.BlobTransactionWithoutBlobs, Assert.Throws<TransactionException>(() => Samples.Blob([]).Validate(Fork.Cancun, 1)).Error);
        var badVersion = new Hash256(new byte[32]);
        Assert.Equal(TransactionError.BlobVersionedHashInvalid, Assert.Throws<TransactionException>(() => Samples.Blob([badVersion]).Validate(Fork.Cancun, 1)).Error);
        var seven = Enumerable.Range(0, 7).Select(i => Samples.VersionedHash((byte)i)).ToArray();
        Samples.Blob(seven).Validate(Fork.Prague, 1);
        Assert.Equal(TransactionError.TooManyBlobs, Assert.Throws<TransactionException>(() => Samples.Blob(seven).Validate(Fork.Osaka, 1)).Error);
        Assert.Equal(TransactionError.TooManyBlobs, Assert.Throws<TransactionException>(() => Samples.Blob(seven).Validate(Fork.Cancun, 1, maxBlobsPerBlock: 6)).Error);
    }

    [Fact]
    public void FeeRules()
    {
        var tipAboveCap = new Transaction
        {
            Type = TransactionType.DynamicFee, ChainId = 1, MaxPriorityFeePerGas = 11UL, MaxFeePerGas = 10UL, GasLimit = 21_000, To = Samples.To,
        }.Sign(Samples.Key);
        Assert.Equal(TransactionError.PriorityFeeGreaterThanMaxFee, Assert.Throws<TransactionException>(() => tipAboveCap.Validate(Fork.London, 1)).Error);
        var overflow = new Transaction { ChainId = 1, GasPrice = UInt256.MaxValue, GasLimit = 21_000, To = Samples.To }.Sign(Samples.Key);
        Assert.Equal(TransactionError.GasLimitPriceProductOverflow, Assert.Throws<TransactionException>(() => overflow.Validate(Fork.London, 1)).Error);
    }

    [Fact]
    public void NonceBeyond64BitsIsATypedError()
    {
        var fields = Rlp.EncodeList(Rlp.EncodeBytes(new byte[9] { 1, 0, 0, 0, 0, 0, 0, 0, 0 }), Rlp.Encode(1UL), Rlp.Encode(21000UL), Rlp.EncodeBytes(Samples.To.Bytes),
            Rlp.Encode(0UL), Rlp.EncodeBytes([]), Rlp.Encode(27UL), Rlp.Encode(1UL), Rlp.Encode(1UL));
        Assert.Equal(TransactionError.NonceOverflow, Assert.Throws<TransactionException>(() => Transaction.DecodeCanonical(fields)).Error);
    }

    [Fact]
    public void AuthorizationAuthorityIsRecoveredFromItsOwnSignature()
    {
        var otherKey = Convert.FromHexString("0101010101010101010101010101010101010101010101010101010101010101");
        var auth = Samples.SignedAuthorization(otherKey, 1, Samples.To, 42);
        Assert.True(auth.TryRecoverAuthority(out var authority));
        Assert.Equal(Secp256k1Curve.ToAddress(Secp256k1Curve.GetPublicKey(otherKey)), authority);
        var tampered = new Authorization(auth.ChainId, auth.Address, auth.Nonce + 1, auth.YParity, auth.R, auth.S);
        Assert.True(!tampered.TryRecoverAuthority(out var other) || other != authority);
        var badParity = new Authorization(auth.ChainId, auth.Address, auth.Nonce, 2, auth.R, auth.S);
        Assert.False(badParity.TryRecoverAuthority(out _));
    }

    [Fact]
    public void SetCodeTransactionNeedsAuthorizationsAndARecipient()
    {
        var empty = new Transaction { Type = TransactionType.SetCode, ChainId = 1, MaxFeePerGas = 1UL, GasLimit = 100_000, To = Samples.To }.Sign(Samples.Key);
        Assert.Equal(TransactionError.EmptyAuthorizationList, Assert.Throws<TransactionException>(() => empty.Validate(Fork.Prague, 1)).Error);
    }

    [Fact]
    public void RpcCompatRawTransactionDecodes()
    {
        // debug_getRawTransaction answer for hash 0xc1d605c6...: a legacy contract creation.
        var raw = Hex.Parse("0xf889800183013a548080b83c600d380380600d6000396000f360004381526020014681526020014181526020014881526020014481526020013281526020013481526020016000f31ca0d642ba4d1f9388c5fd312bb9fb42d189a0b3c796de55093c85f30802a85147c8a037aa8680923f811a6988c03dd414ca00cd25d6876ba5925c7ca8ac6aad21669d");
        var tx = Transaction.DecodeCanonical(raw);
        Assert.Equal(Hash256.Parse("0xc1d605c6612a5fe84dc95810030bfe5b1d327652b381bc695e28f50d13b2b09e"), tx.Hash);
        Assert.True(tx.IsContractCreation);
        Assert.True(tx.TryRecoverSender(out _));
    }
}
