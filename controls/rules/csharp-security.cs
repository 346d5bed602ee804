// Test cases for csharp-security.yaml (semgrep --test). ASP.NET Core controllers, data access,
// crypto and settings. Web Forms cases: csharp-security.webforms.cs; startup code:
// csharp-security.startup.cs. Every value here is fake.
using System;
using System.Data.SqlClient;
using System.Diagnostics;
using System.DirectoryServices;
using System.IO;
using System.Net.Http;
using System.Runtime.Serialization.Formatters.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using Dapper;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using Newtonsoft.Json;

namespace Acme.Shop.Controllers
{
    [ApiController]
    [Route("api/[controller]")]
    public class ProductsController : ControllerBase
    {
        private readonly ShopContext _db;
        private readonly SqlConnection _connection;
        private readonly IHttpClientFactory _factory;
        private static readonly HttpClient httpClient = new HttpClient();
        private const string ReportsRoot = "/srv/reports";

        [HttpGet("search")]
        public IActionResult Search([FromQuery] string name)
        {
            var sql = "SELECT * FROM Products WHERE Name = '" + name + "'";
            // ruleid: csharp.sql-injection, csharp.sql-string-built
            using var cmd = new SqlCommand(sql, _connection);
            // ok: csharp.sql-injection, csharp.sql-string-built
            using var safe = new SqlCommand("SELECT * FROM Products WHERE Name = @name", _connection);
            safe.Parameters.AddWithValue("@name", name);
            return Ok();
        }

        [HttpGet("ef")]
        public IActionResult Ef([FromQuery] string category, [FromQuery] string sort)
        {
            // ruleid: csharp.sql-injection, csharp.sql-string-built
            var raw = _db.Products.FromSqlRaw("SELECT * FROM Products ORDER BY " + sort).ToList();
            // ok: csharp.sql-injection
            var interpolated = _db.Products.FromSqlInterpolated($"SELECT * FROM Products WHERE Category = {category}").ToList();
            // ok: csharp.sql-injection, csharp.sql-string-built
            var fromSql = _db.Products.FromSql($"SELECT * FROM Products WHERE Category = {category}").ToList();
            var text = $"SELECT * FROM Products WHERE Category = '{category}'";
            // ruleid: csharp.sql-injection, csharp.sql-string-built
            var viaVariable = _db.Products.FromSql(text).ToList();
            // ruleid: csharp.sql-injection, csharp.sql-string-built
            _db.Database.ExecuteSqlRaw("DELETE FROM Products WHERE Category = '" + category + "'");
            // ok: csharp.sql-injection
            _db.Database.ExecuteSqlRaw("DELETE FROM Products WHERE Category = {0}", category);
            return Ok();
        }

        [HttpGet("{id:guid}/file")]
        public IActionResult File([FromRoute] Guid id)
        {
            var item = _db.Items.Find(id);
            // ok: csharp.path-traversal
            return PhysicalFile(item.Path, "application/octet-stream");
        }

        [HttpGet("{id}")]
        public IActionResult Get(string id)
        {
            var number = int.Parse(id);
            // ok: csharp.sql-injection, csharp.sql-string-built
            using var cmd = new SqlCommand("SELECT * FROM Products WHERE Id = " + number, _connection);
            // ruleid: csharp.sql-injection, csharp.sql-string-built
            var rows = _connection.Query<Product>("SELECT * FROM Products WHERE Sku = '" + id + "'");
            // ok: csharp.sql-injection
            var safeRows = _connection.Query<Product>("SELECT * FROM Products WHERE Sku = @id", new { id });
            return Ok(rows);
        }

        [HttpPost("thumbnail")]
        public IActionResult Thumbnail([FromForm] string imageName)
        {
            // ruleid: csharp.command-injection
            Process.Start("/usr/bin/convert", imageName + " -resize 64x64 thumb.png");
            var psi = new ProcessStartInfo("/usr/bin/convert");
            // ok: csharp.command-injection
            psi.ArgumentList.Add(Path.GetFileName(imageName));
            // ok: csharp.command-injection
            Process.Start("/usr/bin/convert", "input.png -resize 64x64 thumb.png");
            return Ok();
        }

        [HttpPost("eval")]
        public async Task<IActionResult> Eval([FromBody] string expression)
        {
            // ruleid: csharp.code-injection
            var result = await CSharpScript.EvaluateAsync<int>(expression);
            // ok: csharp.code-injection
            var fixedResult = await CSharpScript.EvaluateAsync<int>("1 + 2");
            return Ok(result + fixedResult);
        }

        [HttpGet("report")]
        public IActionResult Report([FromQuery] string file)
        {
            // ruleid: csharp.path-traversal
            var text = System.IO.File.ReadAllText(Path.Combine(ReportsRoot, file));
            // ok: csharp.path-traversal
            var onlyName = System.IO.File.ReadAllText(Path.Combine(ReportsRoot, Path.GetFileName(file)));
            return Ok(text + onlyName);
        }

        [HttpGet("export")]
        public async Task<IActionResult> Export([FromQuery] string format)
        {
            Stream stream = await _exporter.ExportAsync(format);
            // ok: csharp.path-traversal
            using var reader = new StreamReader(stream);
            return Content(await reader.ReadToEndAsync(), "text/csv");
        }

        [HttpGet("download")]
        public IActionResult Download([FromQuery] string file)
        {
            var full = Path.GetFullPath(Path.Combine(ReportsRoot, file));
            if (!full.StartsWith(ReportsRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                return BadRequest();
            }
            // ok: csharp.path-traversal
            return PhysicalFile(full, "application/pdf");
        }

        [HttpGet("preview")]
        public async Task<IActionResult> Preview([FromQuery] string url, [FromQuery] string slug)
        {
            // ruleid: csharp.ssrf
            var body = await httpClient.GetStringAsync(url);
            // ok: csharp.ssrf
            var page = await httpClient.GetStringAsync("https://cms.example.com/pages/" + Uri.EscapeDataString(slug));
            // ok: csharp.ssrf
            var fixedHost = await httpClient.GetStringAsync($"https://cms.example.com/pages/{slug}");
            return Ok(body + page + fixedHost);
        }

        [HttpGet("login-done")]
        public IActionResult LoginDone([FromQuery] string returnUrl)
        {
            if (Url.IsLocalUrl(returnUrl))
            {
                // ok: csharp.open-redirect
                return Redirect(returnUrl);
            }
            // ok: csharp.open-redirect
            return LocalRedirect("/");
        }

        [HttpGet("go")]
        public IActionResult Go([FromQuery] string next)
        {
            // ruleid: csharp.open-redirect
            return Redirect(next);
        }

        [HttpGet("item-page")]
        public IActionResult ItemPage([FromQuery] string sku)
        {
            // ok: csharp.open-redirect
            return Redirect("/products/" + sku);
        }

        [HttpGet("greet")]
        public IActionResult Greet([FromQuery] string name)
        {
            // ruleid: csharp.xss
            return Content("<h1>Hello " + name + "</h1>", "text/html");
        }

        [HttpGet("greet-safe")]
        public IActionResult GreetSafe([FromQuery] string name)
        {
            // ok: csharp.xss
            return Content("<h1>Hello " + WebUtility.HtmlEncode(name) + "</h1>", "text/html");
        }

        [HttpGet("banner")]
        public IHtmlContent Banner([FromQuery] string text)
        {
            // ruleid: csharp.xss
            return new HtmlString("<div class='banner'>" + text + "</div>");
        }

        [HttpGet("plain")]
        public IActionResult Plain([FromQuery] string text)
        {
            // ok: csharp.xss
            return Content(text, "text/plain");
        }

        [HttpGet("employee")]
        public IActionResult Employee([FromQuery] string state)
        {
            var doc = new XmlDocument();
            doc.Load("employees.xml");
            // ruleid: csharp.xpath-injection
            var nodes = doc.SelectNodes("//employee[state='" + state + "']");
            // ok: csharp.xpath-injection
            var all = doc.SelectNodes("//employee[state='OR']");
            return Ok(nodes.Count + all.Count);
        }

        [HttpGet("directory")]
        public IActionResult Directory([FromQuery] string user)
        {
            var root = new DirectoryEntry("LDAP://dc=acme,dc=example");
            // ruleid: csharp.ldap-injection
            var searcher = new DirectorySearcher(root, "(&(objectClass=user)(sAMAccountName=" + user + "))");
            // ok: csharp.ldap-injection
            var escaped = new DirectorySearcher(root, "(&(objectClass=user)(sAMAccountName=" + LdapFilter.Escape(user) + "))");
            return Ok(searcher.FindOne() != null && escaped.FindOne() != null);
        }

        [HttpPost("restore")]
        public IActionResult Restore()
        {
            var formatter = new BinaryFormatter();
            // ruleid: csharp.insecure-deserialization
            var cart = formatter.Deserialize(Request.Body);
            // ok: csharp.insecure-deserialization
            var order = System.Text.Json.JsonSerializer.Deserialize<Order>(Request.Body);
            return Ok(order);
        }

        [HttpPost("type")]
        public IActionResult CreateByType([FromForm] string typeName)
        {
            // ruleid: csharp.type-from-request
            var type = Type.GetType(typeName);
            // ok: csharp.type-from-request
            var known = Type.GetType("Acme.Shop.Models.Order");
            return Ok(type == known);
        }
    }

    public class DataAccess
    {
        private readonly SqlConnection _connection;

        public string EmailFor(string customerName)
        {
            string sql = "select email from Customers where name = '" + customerName + "'";
            // ruleid: csharp.sql-string-built
            var cmd = new SqlCommand(sql, _connection);
            return (string)cmd.ExecuteScalar();
        }

        public string EmailForNumber(int customerNumber)
        {
            string sql = "select email from Customers where number = " + customerNumber;
            // ok: csharp.sql-string-built
            var cmd = new SqlCommand(sql, _connection);
            return (string)cmd.ExecuteScalar();
        }

        public void Archive(string table)
        {
            using var cmd = _connection.CreateCommand();
            // ruleid: csharp.sql-string-built
            cmd.CommandText = String.Format("DELETE FROM {0} WHERE archived = 1", table);
            cmd.ExecuteNonQuery();
            // ok: csharp.sql-string-built
            cmd.CommandText = "DELETE FROM Orders WHERE archived = 1";
        }
    }

    public class Serialization
    {
        public JsonSerializerSettings Unsafe() =>
            // ruleid: csharp.json-typenamehandling
            new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.All };

        public JsonSerializerSettings Restricted() =>
            // ok: csharp.json-typenamehandling
            new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.Auto, SerializationBinder = new KnownTypesBinder() };

        public JsonSerializerSettings None() =>
            // ok: csharp.json-typenamehandling
            new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.None };

        public XmlReaderSettings Dtd() =>
            // ruleid: csharp.xml-external-entities
            new XmlReaderSettings { DtdProcessing = DtdProcessing.Parse };

        public XmlReaderSettings NoDtd() =>
            // ok: csharp.xml-external-entities
            new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };

        public XmlDocument Resolving()
        {
            var doc = new XmlDocument();
            // ruleid: csharp.xml-external-entities
            doc.XmlResolver = new XmlUrlResolver();
            return doc;
        }
    }

    public class Crypto
    {
        public string HashPassword(string password)
        {
            // ruleid: csharp.weak-hash
            using var md5 = MD5.Create();
            return Convert.ToHexString(md5.ComputeHash(Encoding.UTF8.GetBytes(password)));
        }

        public string HashPasswordStrong(string password, byte[] salt)
        {
            // ok: csharp.weak-hash
            var derived = Rfc2898DeriveBytes.Pbkdf2(password, salt, 600000, HashAlgorithmName.SHA256, 32);
            return Convert.ToHexString(derived);
        }

        public Guid StableIdFor(string name)
        {
            // ok: csharp.weak-hash
            return new Guid(MD5.HashData(Encoding.UTF8.GetBytes(name)));
        }

        public string CacheKeyFor(string url)
        {
            // ok: csharp.weak-hash
            return Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(url)));
        }

        public byte[] Encrypt(byte[] data, byte[] key)
        {
            // ruleid: csharp.weak-cipher
            using var des = DES.Create();
            des.Key = key;
            return des.CreateEncryptor().TransformFinalBlock(data, 0, data.Length);
        }

        public byte[] EncryptEcb(byte[] data, byte[] key)
        {
            using var aes = Aes.Create();
            aes.Key = key;
            // ruleid: csharp.weak-cipher
            aes.Mode = CipherMode.ECB;
            return aes.CreateEncryptor().TransformFinalBlock(data, 0, data.Length);
        }

        public byte[] EncryptGcm(byte[] data, byte[] key)
        {
            // ok: csharp.weak-cipher
            using var aes = new AesGcm(key, 16);
            var nonce = RandomNumberGenerator.GetBytes(12);
            var cipher = new byte[data.Length];
            var tag = new byte[16];
            aes.Encrypt(nonce, data, cipher, tag);
            return cipher;
        }

        public string GenerateResetToken()
        {
            // ruleid: csharp.insecure-random
            var random = new Random();
            var bytes = new byte[32];
            random.NextBytes(bytes);
            return Convert.ToBase64String(bytes);
        }

        public string GenerateResetTokenSecure()
        {
            // ok: csharp.insecure-random
            return Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        }

        public int PickTip(string[] tips)
        {
            // ok: csharp.insecure-random
            var random = new Random();
            return random.Next(tips.Length);
        }

        public void Issue(Random rng, User user)
        {
            // ruleid: csharp.insecure-random
            var otp = rng.Next(100000, 999999).ToString();
            user.Send(otp);
        }

        public SymmetricSecurityKey SigningKey() =>
            // ruleid: csharp.hardcoded-signing-key
            new SymmetricSecurityKey(Encoding.UTF8.GetBytes("fake-demo-signing-key-do-not-use-0123456789"));

        public SymmetricSecurityKey SigningKeyFromConfig(IConfiguration config) =>
            // ok: csharp.hardcoded-signing-key
            new SymmetricSecurityKey(Encoding.UTF8.GetBytes(config["Jwt:Key"]));
    }

    public class Transport
    {
        public HttpClient Insecure()
        {
            var handler = new HttpClientHandler();
            // ruleid: csharp.tls-verification-disabled
            handler.ServerCertificateCustomValidationCallback = (message, cert, chain, errors) => true;
            return new HttpClient(handler);
        }

        public HttpClient Pinned(string thumbprint)
        {
            var handler = new HttpClientHandler();
            // ok: csharp.tls-verification-disabled
            handler.ServerCertificateCustomValidationCallback = (message, cert, chain, errors) => cert.GetCertHashString() == thumbprint;
            return new HttpClient(handler);
        }

        public HttpClient AnyCertificate()
        {
            var handler = new HttpClientHandler
            {
                // ruleid: csharp.tls-verification-disabled
                ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
            };
            return new HttpClient(handler);
        }
    }

    public class CartController : Controller
    {
        public IActionResult Remember(string basketId)
        {
            var options = new CookieOptions { Expires = DateTimeOffset.UtcNow.AddDays(30) };
            // ruleid: csharp.cookie-insecure
            Response.Cookies.Append("basket", Guid.NewGuid().ToString(), options);
            return Ok();
        }

        public IActionResult RememberSafe()
        {
            var options = new CookieOptions { HttpOnly = true, Secure = true, SameSite = SameSiteMode.Lax };
            // ok: csharp.cookie-insecure
            Response.Cookies.Append("basket", Guid.NewGuid().ToString(), options);
            return Ok();
        }

        public IActionResult Session()
        {
            // ruleid: csharp.cookie-insecure
            var options = new CookieOptions { HttpOnly = false, Secure = true };
            Response.Cookies.Append("session", Guid.NewGuid().ToString(), options);
            return Ok();
        }

        // ruleid: csharp.csrf-protection-disabled
        [HttpPost]
        [IgnoreAntiforgeryToken]
        public IActionResult Checkout(Order order)
        {
            return Ok();
        }

        // ok: csharp.csrf-protection-disabled
        [HttpPost]
        [ValidateAntiForgeryToken]
        public IActionResult CheckoutSafe(Order order)
        {
            return Ok();
        }
    }

    public static class DemoSettings
    {
        // ruleid: csharp.hardcoded-secret
        public const string JwtSecret = "q9V2mZ7xL4pT8wR1nB6yK3cH0dF5gJ2s";
        // ok: csharp.hardcoded-secret
        public const string JwtSecretConfigName = "Jwt:Secret";
        // ok: csharp.hardcoded-secret
        public const string DefaultPassword = "<set-in-user-secrets>";
        // ok: csharp.hardcoded-secret
        public const string PasswordResetPrompt = "Enter your new password";
        // ok: csharp.hardcoded-secret
        public const string IsApiKey = "Acme-IsApiKey-Claim";
        // ruleid: csharp.hardcoded-secret
        public const string IssuerSecret = "c2VjcmV0LWZvci10ZXN0cy1vbmx5LTAx";
    }

    public class JwtSetup
    {
        public TokenValidationParameters AnyAudience() => new TokenValidationParameters
        {
            // ruleid: csharp.jwt-issuer-audience-not-validated
            ValidateAudience = false,
        };

        public TokenValidationParameters OwnAudience() => new TokenValidationParameters
        {
            // ok: csharp.jwt-issuer-audience-not-validated
            ValidateAudience = true,
            ValidAudience = "shop-api",
        };

        public TokenValidationParameters Lax() => new TokenValidationParameters
        {
            ValidateIssuer = true,
            // ruleid: csharp.jwt-validation-disabled
            ValidateLifetime = false,
        };

        public TokenValidationParameters Strict() => new TokenValidationParameters
        {
            ValidateIssuer = true,
            // ok: csharp.jwt-validation-disabled
            ValidateLifetime = true,
        };
    }
}
