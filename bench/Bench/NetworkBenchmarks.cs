using System.Buffers;
using System.Net;
using System.Net.Sockets;
using BeamSync.Core.Crypto;
using BeamSync.Network.Rlpx;
using BenchmarkDotNet.Attributes;

namespace BeamSync.Bench;

/// <summary>
/// RLPx frame throughput: the frame codec alone (AES-256-CTR + keccak MACs, both directions) and full messages over
/// loopback TCP (framing, optional snappy, socket). Each operation moves <see cref="MessagesPerOp"/> messages of
/// <see cref="PayloadSize"/> bytes; MB/s = MessagesPerOp * PayloadSize / mean time. Run:
/// <c>dotnet run -c Release --project bench/Bench -- --filter '*NetworkBenchmarks*' --job short --inProcess</c>.
/// </summary>
[MemoryDiagnoser]
public class NetworkBenchmarks
{
    public const int MessagesPerOp = 64;

    [Params(1024, 65536)]
    public int PayloadSize;

    private FrameCodec _sender = null!, _receiver = null!;
    private byte[] _payload = null!, _wire = null!;
    private RlpxConnection _client = null!, _server = null!;
    private TcpListener _listener = null!;

    [GlobalSetup]
    public void Setup()
    {
        _payload = new byte[PayloadSize];
        new Random(1).NextBytes(_payload);
        var keyA = Secp256k1Curve.GeneratePrivateKey();
        var keyB = Secp256k1Curve.GeneratePrivateKey();
        var a = Handshake.ForInitiator(keyA, Secp256k1Curve.GetPublicKey(keyB));
        var b = Handshake.ForRecipient(keyB);
        var auth = new ReadOnlySequence<byte>(a.CreateAuth());
        b.TryReadAuth(ref auth);
        var ack = new ReadOnlySequence<byte>(b.CreateAck());
        a.TryReadAck(ref ack);
        _sender = new FrameCodec(a.DeriveSecrets());
        _receiver = new FrameCodec(b.DeriveSecrets());
        _wire = new byte[FrameCodec.EncodedLength(PayloadSize)];

        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        var accept = Task.Run(async () =>
        {
            var socket = await _listener.AcceptTcpClientAsync();
            socket.NoDelay = true;
            return await RlpxConnection.AcceptAsync(socket.GetStream(), keyB, CancellationToken.None);
        });
        var client = new TcpClient { NoDelay = true };
        client.Connect((IPEndPoint)_listener.LocalEndpoint);
        _client = RlpxConnection.ConnectAsync(client.GetStream(), keyA, Secp256k1Curve.GetPublicKey(keyB), CancellationToken.None).GetAwaiter().GetResult();
        _server = accept.GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.DisposeAsync().AsTask().Wait();
        _server.DisposeAsync().AsTask().Wait();
        _listener.Stop();
    }

    [Benchmark(Description = "frame codec: write + read (in memory)")]
    public int FrameCodecRoundTrip()
    {
        int total = 0;
        for (int i = 0; i < MessagesPerOp; i++)
        {
            _sender.WriteFrame(_payload, _wire);
            var input = new ReadOnlySequence<byte>(_wire);
            _receiver.TryReadFrame(ref input, out var frame, out int length);
            total += length;
            ArrayPool<byte>.Shared.Return(frame);
        }
        return total;
    }

    [Benchmark(Description = "loopback TCP: messages, uncompressed")]
    public Task<int> LoopbackUncompressed() => PumpAsync(compress: false);

    [Benchmark(Description = "loopback TCP: messages, snappy")]
    public Task<int> LoopbackSnappy() => PumpAsync(compress: true);

    private async Task<int> PumpAsync(bool compress)
    {
        _client.Compression = _server.Compression = compress;
        var receive = Task.Run(async () =>
        {
            int total = 0;
            for (int i = 0; i < MessagesPerOp; i++)
            {
                using var m = await _server.ReceiveAsync();
                total += m.Length;
            }
            return total;
        });
        for (int i = 0; i < MessagesPerOp; i++) await _client.SendAsync(0x10, _payload);
        return await receive;
    }
}
