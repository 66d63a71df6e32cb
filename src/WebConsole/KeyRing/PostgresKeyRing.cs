using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace Helpline.WebConsole.KeyRing;

/// <summary>
/// The data-protection key ring in PostgreSQL. A sign-in cookie issued by one silo must open on every other one (a
/// load balancer may send the next request anywhere), so the keys live in the one database rather than on a disk.
/// </summary>
internal sealed class PostgresKeyRing(NpgsqlDataSource dataSource) : IXmlRepository
{
    // Data protection calls these synchronously, once per key-ring refresh (about daily), never per request.
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var command = dataSource.CreateCommand("select xml from console.data_protection_key order by created_at, friendly_name");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        // Two silos creating the first key at once each keep their own: both keys are valid and both are read back.
        using var command = dataSource.CreateCommand(
            "insert into console.data_protection_key (friendly_name, xml) values ($1, $2) on conflict (friendly_name) do nothing");
        command.Parameters.AddWithValue(friendlyName);
        command.Parameters.AddWithValue(element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }
}
