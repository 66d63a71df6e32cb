using System.Net;
using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;
using Npgsql;

namespace Helpline.Tests.Access;

/// <summary>
/// Complainants' names and mobiles: masked for those who do not need them, shown to the agent and the holder with
/// each read in an access log nobody can edit; and the public's status lookup by number and last four digits.
/// </summary>
public sealed class PersonalDataTests(AccessTestHost world) : IClassFixture<AccessTestHost>
{
    private const string Complainant = "query($r: String!) { grievance(referenceNumber: $r) { complainant { name mobile } } }";
    private const string Log = "query($r: String) { accessLog(referenceNumber: $r, first: 100) { nodes { subject role referenceNumber field operation } } }";

    private async Task<(string Name, string Mobile)> ComplainantAsync(string reference, string bearer)
    {
        var c = (await world.SendAsync(Complainant, new { r = reference }, bearer)).Get("grievance.complainant");
        return (c["name"]!.GetValue<string>(), c["mobile"]!.GetValue<string>());
    }

    private async Task<long> LogRowsAsync()
    {
        await using var conn = new NpgsqlConnection(world.ConnectionString);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new NpgsqlCommand("select count(*) from access.personal_data_read", conn);
        return (long)(await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    [Fact]
    public async Task An_auditor_and_a_partner_see_the_complainant_masked_and_leave_nothing_in_the_access_log()
    {
        var g = await world.RegisterAsync(Places.LucknowBlock, name: "Sita Devi", mobile: "+91 94150 12345");
        var rowsBefore = await LogRowsAsync();

        Assert.Equal(("S*** D***", "94XXXXXX45"), await ComplainantAsync(g.ReferenceNumber, world.Token(Role.Auditor, "pd-auditor")));
        Assert.Equal(("S*** D***", "94XXXXXX45"), await ComplainantAsync(g.ReferenceNumber, world.Token(Role.Partner, "pd-partner", jurisdictions: [Places.Lucknow])));
        Assert.Equal(rowsBefore, await LogRowsAsync());
    }

    [Fact]
    public async Task The_agent_and_the_holder_see_the_complainant_and_each_read_is_in_the_access_log()
    {
        var g = await world.RegisterAsync(Places.LucknowBlock, name: "Sita Devi", mobile: "9415012345");
        var auditor = world.Token(Role.Auditor, "pd-auditor");

        Assert.Equal(("Sita Devi", "9415012345"), await ComplainantAsync(g.ReferenceNumber, world.Token(Role.Agent, "pd-agent-7")));
        Assert.Equal(("Sita Devi", "9415012345"), await ComplainantAsync(g.ReferenceNumber, world.Token(Role.Officer, g.OfficerId)));
        var nameOnly = await world.SendAsync("query($r: String!) { grievance(referenceNumber: $r) { complainant { name } } }", new { r = g.ReferenceNumber }, world.Token(Role.Agent, "pd-agent-8"));
        Assert.Equal("Sita Devi", nameOnly.Get("grievance.complainant.name").GetValue<string>());

        var log = (await world.SendAsync(Log, new { r = g.ReferenceNumber }, auditor)).Get("accessLog.nodes").AsArray()
            .Select(n => (Subject: n!["subject"]!.GetValue<string>(), Role: n["role"]!.GetValue<string>(), Reference: n["referenceNumber"]!.GetValue<string>(), Field: n["field"]!.GetValue<string>()))
            .ToList();
        (string, string, string, string)[] expected =
        [
            ("pd-agent-7", "agent", g.ReferenceNumber, "complainant.mobile"),
            ("pd-agent-7", "agent", g.ReferenceNumber, "complainant.name"),
            ("pd-agent-8", "agent", g.ReferenceNumber, "complainant.name"),
            (g.OfficerId, "officer", g.ReferenceNumber, "complainant.mobile"),
            (g.OfficerId, "officer", g.ReferenceNumber, "complainant.name"),
        ];
        Assert.Equal(expected.Order(), log.Order());

        // Another grievance's reads are not in this one's log.
        var other = (await world.SendAsync(Log, new { r = "0000 0000 0000" }, auditor)).Get("accessLog.nodes").AsArray();
        Assert.Empty(other);
    }

    [Fact]
    public async Task The_access_log_refuses_updates_and_deletes_in_the_database()
    {
        var g = await world.RegisterAsync(Places.LucknowBlock);
        await ComplainantAsync(g.ReferenceNumber, world.Token(Role.Agent, "pd-agent-db"));
        var rows = await LogRowsAsync();
        Assert.True(rows >= 2);

        await using var conn = new NpgsqlConnection(world.ConnectionString);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        foreach (var sql in new[]
                 {
                     "update access.personal_data_read set subject = 'someone-else'",
                     "delete from access.personal_data_read",
                     "truncate access.personal_data_read",
                 })
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }

        Assert.Equal(rows, await LogRowsAsync());
        await using var check = new NpgsqlCommand("select count(*) from access.personal_data_read where subject = 'someone-else'", conn);
        Assert.Equal(0L, (long)(await check.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);
    }

    [Fact]
    public async Task The_public_sees_the_status_with_the_right_last_four_digits_only()
    {
        var g = await world.RegisterAsync(Places.LucknowBlock, mobile: "9415012345");
        const string status = "query($r: String!, $d: String!) { grievanceStatus(referenceNumber: $r, mobileLastFour: $d) { referenceNumber status office } }";

        var right = await world.SendAsync(status, new { r = g.ReferenceNumber, d = "2345" });
        Assert.Equal(HttpStatusCode.OK, right.Status);
        Assert.Equal((g.ReferenceNumber, "OPEN"), (right.Get("grievanceStatus.referenceNumber").GetValue<string>(), right.Get("grievanceStatus.status").GetValue<string>()));

        var wrong = await world.SendAsync(status, new { r = g.ReferenceNumber, d = "2346" });
        Assert.Equal("UNKNOWN_GRIEVANCE", wrong.FirstCode);
        Assert.Null(wrong.Body["data"]?["grievanceStatus"]);

        // The public may not ask for the grievance itself.
        var full = await world.SendAsync(Complainant, new { r = g.ReferenceNumber });
        Assert.Equal((HttpStatusCode.Unauthorized, "AUTHENTICATION_REQUIRED"), (full.Status, full.FirstCode));
    }

    [Fact]
    public async Task After_five_wrong_tries_the_status_lookup_refuses_the_number_even_with_the_right_digits()
    {
        var g = await world.RegisterAsync(Places.LucknowBlock, mobile: "9415012345");
        const string status = "query($r: String!, $d: String!) { grievanceStatus(referenceNumber: $r, mobileLastFour: $d) { status } }";

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("UNKNOWN_GRIEVANCE", (await world.SendAsync(status, new { r = g.ReferenceNumber, d = $"000{i}" })).FirstCode);
        }

        var locked = await world.SendAsync(status, new { r = g.ReferenceNumber, d = "2345" });
        Assert.Equal("TOO_MANY_ATTEMPTS", locked.FirstCode);
        Assert.Null(locked.Body["data"]?["grievanceStatus"]);

        // Another number is not locked.
        var other = await world.RegisterAsync(Places.LucknowBlock, mobile: "9415012345");
        Assert.Equal("OPEN", (await world.SendAsync(status, new { r = other.ReferenceNumber, d = "2345" })).Get("grievanceStatus.status").GetValue<string>());
    }
}
