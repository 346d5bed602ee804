using System.Security.Cryptography;
using System.Text;

namespace Acme.Helpdesk.Services;

/// <summary>Password reset tokens, agent password hashes and the partner API client.</summary>
public class TokenService
{
    // Fake value for the example; the partner key belongs in the secret store.
    private const string PartnerApiSecret = "pk9Xw2Lm4Qz7Rt1Vb8Nc3Hd6"; // PLANTED CWE-798

    private readonly IConfiguration _config;

    public TokenService(IConfiguration config)
    {
        _config = config;
    }

    public string PartnerApiKey() => _config["Partner:ApiKey"] ?? throw new InvalidOperationException("Partner:ApiKey is not set"); // SAFE-TWIN CWE-798

    public string CreateResetToken()
    {
        var random = new Random(); // PLANTED CWE-338
        var bytes = new byte[24];
        random.NextBytes(bytes);
        return Convert.ToBase64String(bytes);
    }

    public string CreateInviteToken()
    {
        return Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)); // SAFE-TWIN CWE-338
    }

    public string LegacyPasswordHash(string password)
    {
        using var md5 = MD5.Create(); // PLANTED CWE-328
        return Convert.ToHexString(md5.ComputeHash(Encoding.UTF8.GetBytes(password)));
    }

    public string PasswordHash(string password, byte[] salt)
    {
        var derived = Rfc2898DeriveBytes.Pbkdf2(password, salt, 600_000, HashAlgorithmName.SHA256, 32); // SAFE-TWIN CWE-328
        return Convert.ToHexString(derived);
    }

    // The partner's staging server uses a self-signed certificate.
    public HttpClient PartnerClient()
    {
        var handler = new HttpClientHandler();
        handler.ServerCertificateCustomValidationCallback = (request, certificate, chain, errors) => true; // PLANTED CWE-295
        return new HttpClient(handler) { BaseAddress = new Uri("https://partner.acme.example/"), DefaultRequestHeaders = { { "X-Api-Key", PartnerApiSecret } } };
    }

    public HttpClient PartnerClientVerified()
    {
        var handler = new HttpClientHandler { CheckCertificateRevocationList = true }; // SAFE-TWIN CWE-295
        return new HttpClient(handler) { BaseAddress = new Uri("https://partner.acme.example/") };
    }
}
