using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Acme.Helpdesk.Controllers;

[ApiController]
[Authorize(Roles = "admin")]
[Route("api/integrations")]
public class IntegrationsController : ControllerBase
{
    private static readonly Regex HostName = new("^[a-z0-9.-]{1,253}$", RegexOptions.Compiled);
    private readonly IHttpClientFactory _clients;

    public IntegrationsController(IHttpClientFactory clients)
    {
        _clients = clients;
    }

    // "Test webhook" button: the admin types the URL of their chat webhook.
    [HttpPost("webhook-test")]
    public async Task<IActionResult> WebhookTest([FromForm] string webhookUrl)
    {
        var client = _clients.CreateClient();
        var response = await client.PostAsync(webhookUrl, new StringContent("{\"text\":\"Helpdesk test\"}")); // PLANTED CWE-918
        return Ok((int)response.StatusCode);
    }

    [HttpPost("chat-test")]
    public async Task<IActionResult> ChatTest([FromForm] string channel)
    {
        var client = _clients.CreateClient();
        var response = await client.PostAsync($"https://chat.acme.example/hooks/{Uri.EscapeDataString(channel)}", new StringContent("{}")); // SAFE-TWIN CWE-918
        return Ok((int)response.StatusCode);
    }

    // Network diagnostics for the mail relay.
    [HttpPost("ping")]
    public IActionResult Ping([FromForm] string host)
    {
        using var process = Process.Start("/bin/sh", "-c \"ping -c 1 " + host + "\""); // PLANTED CWE-78
        process!.WaitForExit();
        return Ok(process.ExitCode);
    }

    [HttpPost("trace")]
    public IActionResult Trace([FromForm] string host)
    {
        if (!HostName.IsMatch(host))
        {
            return BadRequest();
        }
        var start = new ProcessStartInfo("/usr/bin/traceroute"); // SAFE-TWIN CWE-78
        start.ArgumentList.Add(host);
        using var process = Process.Start(start)!;
        process.WaitForExit();
        return Ok(process.ExitCode);
    }
}
