using BeamSync.Cli.Engine;

namespace BeamSync.Cli.Tests;

/// <summary>What <see cref="EngineReplay.Load"/> expects of each recorded call, from JSON files and execution-apis .io files.</summary>
public sealed class EngineReplayLoadTests
{
    [Fact]
    public void Json_calls_expect_valid_unless_they_record_otherwise_and_geths_base64_requests_become_hex()
    {
        using var folder = new TempFolder();
        var path = folder.File("calls.json", """
            [
              {"jsonrpc":"2.0","id":1,"method":"engine_newPayloadV4","params":[{}, [], "0x00", ["AQI="]]},
              {"jsonrpc":"2.0","id":2,"method":"engine_forkchoiceUpdatedV3","params":[{}, null],"expectedStatus":"SYNCING"},
              {"jsonrpc":"2.0","id":3,"method":"engine_getPayloadV4","params":["0x0000000000000001"],"expectedError":-38001},
              {"jsonrpc":"2.0","id":4,"method":"engine_exchangeCapabilities","params":[[]]}
            ]
            """);
        var calls = EngineReplay.Load(path);
        Assert.Equal(["VALID", "SYNCING", null, null], calls.Select(c => c.ExpectedStatus));
        Assert.Equal([null, null, -38001, null], calls.Select(c => c.ExpectedError));
        Assert.Equal("0x0102", calls[0].Request["params"]![3]![0]!.GetValue<string>());
        Assert.Null(calls[1].Request["expectedStatus"]);
        Assert.Null(calls[2].Request["expectedError"]);
    }

    [Fact]
    public void Io_files_expect_the_recorded_status_or_error_code()
    {
        using var folder = new TempFolder();
        var path = folder.File("fcu.io", """
            // a comment line
            >> {"jsonrpc":"2.0","id":1,"method":"engine_forkchoiceUpdatedV3","params":[{}, null]}
            << {"jsonrpc":"2.0","id":1,"result":{"payloadStatus":{"status":"INVALID","latestValidHash":null,"validationError":null},"payloadId":null}}
            >> {"jsonrpc":"2.0","id":2,"method":"engine_newPayloadV4","params":[{}]}
            << {"jsonrpc":"2.0","id":2,"error":{"code":-32602,"message":"invalid params"}}
            """);
        var calls = EngineReplay.Load(path);
        Assert.Equal(2, calls.Count);
        Assert.Equal("INVALID", calls[0].ExpectedStatus);
        Assert.Equal(-32602, calls[1].ExpectedError);
    }
}
