using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BeamSync.Rpc;

/// <summary>
/// The engine API's authentication (execution-apis src/engine/authentication.md): a bearer JWT signed with HS256
/// under a 32-byte shared secret, whose <c>iat</c> is within <see cref="MaxClockDrift"/> of now. Verification is
/// Microsoft.IdentityModel's; the secret file is 64 hex digits (0x optional), made with fresh random bytes when
/// absent. Thread-safe.
/// </summary>
public sealed class JwtAuthenticator
{
    public const int SecretBytes = 32;
    public static readonly TimeSpan MaxClockDrift = TimeSpan.FromSeconds(60);

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly TokenValidationParameters _parameters;

    public JwtAuthenticator(byte[] secret)
    {
        if (secret.Length != SecretBytes) throw new ArgumentException($"a JWT secret is {SecretBytes} bytes, not {secret.Length}", nameof(secret));
        _parameters = new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(secret),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            RequireSignedTokens = true,
        };
    }

    /// <summary>The secret in <paramref name="path"/>, or a new random one written there (with its folder) when the file does not exist.</summary>
    public static byte[] LoadOrCreateSecret(string path)
    {
        if (!File.Exists(path))
        {
            var secret = RandomNumberGenerator.GetBytes(SecretBytes);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(path, Convert.ToHexStringLower(secret));
            return secret;
        }
        return ParseSecret(File.ReadAllText(path), path);
    }

    /// <summary>64 hex digits, 0x optional, surrounding whitespace ignored; <see cref="FormatException"/> naming <paramref name="source"/> otherwise.</summary>
    public static byte[] ParseSecret(string text, string source)
    {
        var hex = text.Trim();
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) hex = hex[2..];
        if (hex.Length != 2 * SecretBytes || !hex.All(Uri.IsHexDigit))
            throw new FormatException($"{source}: a JWT secret is {2 * SecretBytes} hex digits");
        return Convert.FromHexString(hex);
    }

    /// <summary>Null when <paramref name="authorization"/> ("Bearer TOKEN") is a valid token issued within the drift of <paramref name="now"/>; else why not.</summary>
    public async Task<string?> RejectReasonAsync(string? authorization, DateTimeOffset now)
    {
        const string bearer = "Bearer ";
        if (authorization is null || !authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase)) return "missing bearer token";
        var result = await _handler.ValidateTokenAsync(authorization[bearer.Length..].Trim(), _parameters).ConfigureAwait(false);
        if (!result.IsValid) return $"invalid token: {result.Exception?.Message}";
        if (result.SecurityToken is not JsonWebToken token || !token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var iat))
            return "token has no iat claim";
        var drift = now - DateTimeOffset.FromUnixTimeSeconds(iat);
        return drift.Duration() > MaxClockDrift ? $"stale token: issued {drift.TotalSeconds:0} s from now, at most {MaxClockDrift.TotalSeconds:0}" : null;
    }

    /// <summary>A token for calling an engine API with this secret: HS256, <c>iat</c> = <paramref name="issuedAt"/>.</summary>
    public static string CreateToken(byte[] secret, DateTimeOffset issuedAt) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(
            $"{{\"iat\":{issuedAt.ToUnixTimeSeconds()}}}",
            new SigningCredentials(new SymmetricSecurityKey(secret), SecurityAlgorithms.HmacSha256));
}
