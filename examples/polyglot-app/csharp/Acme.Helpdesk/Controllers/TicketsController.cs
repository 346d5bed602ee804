using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.SqlClient;

namespace Acme.Helpdesk.Controllers;

[ApiController]
[Route("api/tickets")]
public class TicketsController : ControllerBase
{
    private const string AttachmentRoot = "/var/lib/helpdesk/attachments";
    private readonly SqlConnection _db;

    public TicketsController(SqlConnection db)
    {
        _db = db;
    }

    // Agents search tickets by customer; the sort column comes from the grid.
    [Authorize]
    [HttpGet]
    public async Task<IActionResult> Search([FromQuery] string customer, [FromQuery] string sort)
    {
        var sql = "SELECT Id, Subject, Status FROM Tickets WHERE Customer = '" + customer + "' ORDER BY " + sort;
        await using var command = new SqlCommand(sql, _db); // PLANTED CWE-89
        return Ok(await ReadTicketsAsync(command));
    }

    [Authorize]
    [HttpGet("by-status")]
    public async Task<IActionResult> ByStatus([FromQuery] string status)
    {
        await using var command = new SqlCommand("SELECT Id, Subject, Status FROM Tickets WHERE Status = @status", _db); // SAFE-TWIN CWE-89
        command.Parameters.AddWithValue("@status", status);
        return Ok(await ReadTicketsAsync(command));
    }

    [Authorize]
    [HttpGet("{id:int}/attachments/{name}")]
    public IActionResult Attachment(int id, [FromRoute] string name)
    {
        var path = Path.Combine(AttachmentRoot, id.ToString(), name);
        return PhysicalFile(path, "application/octet-stream"); // PLANTED CWE-22
    }

    [Authorize]
    [HttpGet("{id:int}/attachments/{name}/preview")]
    public IActionResult Preview(int id, [FromRoute] string name)
    {
        var path = Path.Combine(AttachmentRoot, id.ToString(), Path.GetFileName(name));
        return PhysicalFile(path, "application/octet-stream"); // SAFE-TWIN CWE-22
    }

    // Public status page: the customer's name is echoed back in a small HTML snippet.
    [HttpGet("status-page")]
    public IActionResult StatusPage([FromQuery] string customer)
    {
        return Content("<p>Open tickets for " + customer + "</p>", "text/html"); // PLANTED CWE-79
    }

    [HttpGet("status-card")]
    public IActionResult StatusCard([FromQuery] string customer)
    {
        return Content("<p>Open tickets for " + WebUtility.HtmlEncode(customer) + "</p>", "text/html"); // SAFE-TWIN CWE-79
    }

    // After the customer survey, send them back where they came from.
    [HttpGet("survey-done")]
    public IActionResult SurveyDone([FromQuery] string returnUrl)
    {
        return Redirect(returnUrl); // PLANTED CWE-601
    }

    [HttpGet("feedback-done")]
    public IActionResult FeedbackDone([FromQuery] string returnUrl)
    {
        if (Url.IsLocalUrl(returnUrl))
        {
            return Redirect(returnUrl); // SAFE-TWIN CWE-601
        }
        return LocalRedirect("/");
    }

    private static async Task<List<object>> ReadTicketsAsync(SqlCommand command)
    {
        var tickets = new List<object>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tickets.Add(new { Id = reader.GetInt32(0), Subject = reader.GetString(1), Status = reader.GetString(2) });
        }
        return tickets;
    }
}
