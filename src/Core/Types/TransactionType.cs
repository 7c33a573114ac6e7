namespace BeamSync.Core.Types;

/// <summary>EIP-2718 transaction types. Legacy transactions carry no type byte on the wire.</summary>
public enum TransactionType : byte
{
    Legacy = 0,
    AccessList = 1,   // EIP-2930, Berlin
    DynamicFee = 2,   // EIP-1559, London
    Blob = 3,         // EIP-4844, Cancun
    SetCode = 4,      // EIP-7702, Prague
}
