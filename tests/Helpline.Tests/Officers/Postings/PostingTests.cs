using Helpline.Officers;
using Helpline.Officers.Roster;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Tests.Officers.Postings;

/// <summary>Postings changed live through GraphQL: transfers, relieving a holder, ending a posting, vacancies, and the loader leaving it all alone.</summary>
public sealed class PostingTests : PostingTestBase
{
    [Fact]
    public async Task A_transfer_in_relieves_the_holder_publishes_Posted_and_the_directory_answers_the_new_holder()
    {
        var (seat, holder, _, _) = await SeatsAsync();
        var added = await AddOfficerAsync("add-1");
        Assert.Equal(added, await AddOfficerAsync("add-1")); // a retry adds nobody new
        var officers = await CountAsync("select count(*) from officers.officer");

        var held = await PostAsync(added, seat);
        Assert.Equal(("POSITION_HELD", "input.positionId"), (held.FirstErrorCode, held.FirstErrorField));
        Assert.Contains(holder, held.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await EventsOfAsync(seat));

        var posted = await PostAsync(added, seat, relieve: true, note: "Order 12/2026");
        Assert.Equal(seat, posted.Get("postOfficer.positionId").GetValue<string>());
        Assert.Equal((added, added), await HolderOfAsync(seat));
        var relieved = await Host.GraphQLAsync("query($id: String!) { officer(id: $id) { positionId position { id } } }", new { id = holder });
        Assert.Null(relieved.Get("officer")["positionId"]);
        Assert.Equal(officers, await CountAsync("select count(*) from officers.officer"));

        var events = await EventsOfAsync(seat);
        Assert.Equal([(holder, added, "Posted", true, 1)], events.Select(Summary));
        Assert.Equal(("admin-test", "Order 12/2026"), (events[0]["actor"]!.GetValue<string>(), events[0]["note"]!.GetValue<string>()));

        // A retried posting changes nothing and publishes nothing.
        Assert.Equal(seat, (await PostAsync(added, seat, relieve: true)).Get("postOfficer.positionId").GetValue<string>());
        Assert.Single(await EventsOfAsync(seat));

        // New registrations go to the new holder.
        Assert.Equal(added, (await RegisterAsync()).Get("registerGrievance.officer.id").GetValue<string>());

        var history = await Host.GraphQLAsync("query($p: String!) { postings(positionId: $p) { officerId startedAt endedAt endReason startedBy } }", new { p = seat });
        var rows = history.Get("postings").AsArray();
        Assert.Equal(2, rows.Count);
        Assert.Contains(rows, r => r!["officerId"]!.GetValue<string>() == holder && r["endReason"]!.GetValue<string>() == "RELIEVED" && r["startedAt"] is null);
        Assert.Contains(rows, r => r!["officerId"]!.GetValue<string>() == added && r["endedAt"] is null && r["startedBy"]!.GetValue<string>() == "admin-test");
    }

    [Fact]
    public async Task Ending_a_posting_leaves_the_seat_vacant_reported_and_refused_then_a_transfer_fills_it_and_empties_the_old_one()
    {
        var (seat, holder, upper, upperHolder) = await SeatsAsync();

        var ended = await EndPostingAsync(holder, "RETIREMENT");
        Assert.Null(ended.Get("endPosting")["positionId"]);
        Assert.Equal((null, null), await HolderOfAsync(seat));
        Assert.Equal([(holder, null, "PostingEnded", false, 1)], (await EventsOfAsync(seat)).Select(Summary));

        var vacant = await Host.GraphQLAsync("query($j: String!) { vacantPositions(jurisdictionId: $j) { id } }", new { j = BlockId });
        Assert.Contains(seat, vacant.Get("vacantPositions").AsArray().Select(p => p!["id"]!.GetValue<string>()));
        var otherDepartment = await Host.GraphQLAsync("{ vacantPositions(departmentId: \"no-such-department\") { id } }");
        Assert.Empty(otherDepartment.Get("vacantPositions").AsArray());

        var refused = await RegisterAsync();
        Assert.Equal("NO_ROUTE", refused.FirstErrorCode);
        Assert.Contains("has nobody posted and no officer holding its charge", refused.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // The officer above is transferred down into the empty seat: theirs empties, this one fills.
        var moved = await PostAsync(upperHolder, seat, note: "transfer");
        Assert.Equal(seat, moved.Get("postOfficer.positionId").GetValue<string>());
        Assert.Equal((upperHolder, upperHolder), await HolderOfAsync(seat));
        Assert.Equal((null, null), await HolderOfAsync(upper));
        Assert.Equal([(holder, null, "PostingEnded", false, 1), (null, upperHolder, "Posted", true, 2)], (await EventsOfAsync(seat)).Select(Summary));
        Assert.Equal([(upperHolder, null, "PostingEnded", false, 1)], (await EventsOfAsync(upper)).Select(Summary));
        var vacantNow = (await Host.GraphQLAsync("{ vacantPositions { id } }")).Get("vacantPositions").AsArray().Select(p => p!["id"]!.GetValue<string>()).ToList();
        Assert.Contains(upper, vacantNow);
        Assert.DoesNotContain(seat, vacantNow);
        var history = await Host.GraphQLAsync("query($o: String!) { postings(officerId: $o) { positionId endReason } }", new { o = upperHolder });
        Assert.Equal(
            [(seat, (string?)null), (upper, "TRANSFER")],
            history.Get("postings").AsArray().Select(r => (r!["positionId"]!.GetValue<string>(), r["endReason"]?.GetValue<string>())));
    }

    [Fact]
    public async Task The_generated_roster_loader_run_again_never_moves_renames_deletes_or_refills_what_an_administrator_changed()
    {
        var (seat, holder, upper, upperHolder) = await SeatsAsync();
        var added = await AddOfficerAsync("add-loader");
        await PostAsync(added, seat, relieve: true);
        await EndPostingAsync(upperHolder);
        await Host.GraphQLAsync(
            "mutation($i: SetOfficePhoneInput!) { setOfficePhone(input: $i) { id } }", new { i = new { positionId = seat, officePhone = "0522-2234567" } });
        var officers = await CountAsync("select count(*) from officers.officer");
        var control = Host.Services.GetRequiredService<IOfficerDirectory>().SupervisorOf(upper)!.Position.Id;
        await using (var conn = new Npgsql.NpgsqlConnection(Db.ConnectionString))
        {
            await conn.OpenAsync(Ct);
            // Forget the stored hash so the loader really rewrites the generated roster, and rename the seats as the
            // loader would find them if the shipped titles had changed.
            await using var cmd = new Npgsql.NpgsqlCommand(
                $"delete from officers.roster_load; update officers.position set title = 'Renamed' where id in ('{seat}', '{upper}', '{control}')", conn);
            await cmd.ExecuteNonQueryAsync(Ct);
        }

        var load = await Host.Services.GetRequiredService<OfficersLoader>().LoadWithResultAsync(Ct);

        Assert.False(load.Write.Skipped);
        Assert.Equal(0, load.Write.NewOfficers); // the seat left vacant was not given a generated officer
        Assert.Equal(officers, await CountAsync("select count(*) from officers.officer"));
        Assert.Equal((added, added), await HolderOfAsync(seat));
        Assert.Equal((null, null), await HolderOfAsync(upper));
        var directory = Host.Services.GetRequiredService<IOfficerDirectory>();
        Assert.Null(directory.FindOfficer(holder)!.PositionId);
        Assert.Null(directory.FindOfficer(upperHolder)!.PositionId);
        Assert.Equal(("Renamed", "05222234567"), (directory.FindPosition(seat)!.Title, directory.FindPosition(seat)!.OfficePhone));
        Assert.Equal("Renamed", directory.FindPosition(upper)!.Title);
        Assert.Equal(3L, await CountAsync($"select count(*) from officers.officer where origin = 'admin' and id in ('{added}', '{holder}', '{upperHolder}')"));
        Assert.NotEqual("Renamed", directory.FindPosition(control)!.Title); // the loader did rewrite its own seats
    }
}
