// Test cases for csharp-security.yaml: application startup (ASP.NET Core Program.cs / Startup).
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Acme.Shop
{
    public class Startup
    {
        public void ConfigureServices(IServiceCollection services)
        {
            services.AddDbContext<ShopContext>(options =>
                // ruleid: csharp.debug-mode-enabled
                options.UseSqlServer("Server=db;Database=shop").EnableSensitiveDataLogging());
            var logSensitiveData = false;
            services.AddDbContext<AuditContext>(options =>
                // ok: csharp.debug-mode-enabled
                options.UseSqlite("Data Source=audit.db").EnableSensitiveDataLogging(logSensitiveData));
            services.ConfigureApplicationCookie(options =>
            {
                // ruleid: csharp.cookie-insecure
                options.Cookie.SecurePolicy = CookieSecurePolicy.None;
                // ok: csharp.cookie-insecure
                options.Cookie.HttpOnly = true;
            });
            services.AddControllersWithViews(options =>
                // ruleid: csharp.csrf-protection-disabled
                options.Filters.Add(new IgnoreAntiforgeryTokenAttribute()));
        }

        public void Configure(IApplicationBuilder app, IWebHostEnvironment env)
        {
            if (env.IsDevelopment())
            {
                // ok: csharp.debug-mode-enabled
                app.UseDeveloperExceptionPage();
            }
            else
            {
                app.UseExceptionHandler("/Error");
            }
            // ruleid: csharp.debug-mode-enabled
            app.UseDatabaseErrorPage();
        }
    }

    public static class MinimalApi
    {
        public static void Map(WebApplication app)
        {
            if (!app.Environment.IsDevelopment())
            {
                app.UseExceptionHandler("/Error");
            }
            else
            {
                // ok: csharp.debug-mode-enabled
                app.UseDeveloperExceptionPage();
            }
            // ruleid: csharp.csrf-protection-disabled
            app.MapPost("/upload", (IFormFile file) => Results.Ok()).DisableAntiforgery();
            // ok: csharp.csrf-protection-disabled
            app.MapPost("/comment", (Comment c) => Results.Ok());
        }
    }
}
