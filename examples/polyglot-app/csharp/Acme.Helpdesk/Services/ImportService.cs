using System.Runtime.Serialization.Formatters.Binary;
using System.Text.Json;
using System.Xml;

namespace Acme.Helpdesk.Services;

/// <summary>Imports tickets exported by the old desktop helpdesk and by the mail gateway.</summary>
public class ImportService
{
    // Exports of the old desktop client (.hdx files uploaded by agents).
    public object ImportLegacyExport(Stream upload)
    {
        var formatter = new BinaryFormatter();
        return formatter.Deserialize(upload); // PLANTED CWE-502
    }

    public List<TicketImport>? ImportJsonExport(Stream upload)
    {
        return JsonSerializer.Deserialize<List<TicketImport>>(upload); // SAFE-TWIN CWE-502
    }

    // XML messages from the mail gateway.
    public XmlDocument ReadGatewayMessage(Stream message)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Parse }; // PLANTED CWE-611
        using var reader = XmlReader.Create(message, settings);
        var document = new XmlDocument();
        document.Load(reader);
        return document;
    }

    public XmlDocument ReadGatewayReceipt(Stream message)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null }; // SAFE-TWIN CWE-611
        using var reader = XmlReader.Create(message, settings);
        var document = new XmlDocument();
        document.Load(reader);
        return document;
    }
}

public record TicketImport(string Subject, string Customer, string Body);
