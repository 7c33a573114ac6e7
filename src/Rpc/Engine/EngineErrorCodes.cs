namespace BeamSync.Rpc.Engine;

/// <summary>The engine API's own error codes (execution-apis src/engine/common.md).</summary>
public static class EngineErrorCodes
{
    public const int UnknownPayload = -38001;
    public const int InvalidForkchoiceState = -38002;
    public const int InvalidPayloadAttributes = -38003;
    public const int TooLargeRequest = -38004;
    public const int UnsupportedFork = -38005;
}

/// <summary>The statuses of a PayloadStatusV1.</summary>
public static class PayloadStatus
{
    public const string Valid = "VALID";
    public const string Invalid = "INVALID";
    public const string Syncing = "SYNCING";
    public const string Accepted = "ACCEPTED";
    public const string InvalidBlockHash = "INVALID_BLOCK_HASH";
}
