// Acme Helpdesk: the support desk's ticket API (ASP.NET Core). Part of the polyglot example:
// lines marked PLANTED carry a weakness the C# rules must report, lines marked SAFE-TWIN the
// fixed form they must not report. No real secrets: every key here is fake.
using System.Text;
using Acme.Helpdesk.Services;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Data.SqlClient;
using Microsoft.IdentityModel.Tokens;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddControllers();
builder.Services.AddScoped(_ => new SqlConnection(builder.Configuration.GetConnectionString("Helpdesk")));
builder.Services.AddSingleton<TokenService>();
builder.Services.AddSingleton<ImportService>();
builder.Services.AddHttpClient();

builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
    .AddJwtBearer(options =>
    {
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = "https://helpdesk.acme.example",
            ValidAudience = "helpdesk-api",
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(builder.Configuration["Jwt:SigningKey"]!)), // SAFE-TWIN CWE-321
            ValidateLifetime = false, // PLANTED CWE-347
            ValidateIssuerSigningKey = true, // SAFE-TWIN CWE-347
        };
    });

builder.Services.ConfigureApplicationCookie(options =>
{
    options.Cookie.HttpOnly = true; // SAFE-TWIN CWE-1004
    options.Cookie.SecurePolicy = CookieSecurePolicy.None; // PLANTED CWE-614
});

var app = builder.Build();

// Left on from a debugging session: shows stack traces and SQL to every caller.
app.UseDeveloperExceptionPage(); // PLANTED CWE-489

if (app.Environment.IsDevelopment())
{
    app.UseDatabaseErrorPage(); // SAFE-TWIN CWE-489
}

app.UseAuthentication();
app.UseAuthorization();
app.MapControllers();
app.Run();
