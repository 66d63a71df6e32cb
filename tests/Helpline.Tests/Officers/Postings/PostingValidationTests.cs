using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Officers.Postings;

/// <summary>Bad input to the posting and leave mutations: a clear error naming the field, and nothing changes.</summary>
public sealed class PostingValidationTests : PostingTestBase
{
    private Task<long> ChangesAsync() => CountAsync(
        """
        select (select count(*) from officers.leave) + (select count(*) from officers.posting)
             + (select count(*) from events.event_log where stream in ('position', 'shared-data'))
             + (select count(*) from officers.officer where origin = 'admin') + (select count(*) from officers.position where origin = 'admin')
        """);

    private async Task RefusedAsync(Func<Task<GraphQLResponse>> call, string code, string field, string? inMessage = null)
    {
        var before = await ChangesAsync();
        var r = await call();
        Assert.Equal((code, field), (r.FirstErrorCode, r.FirstErrorField));
        if (inMessage is not null)
        {
            Assert.Contains(inMessage, r.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await ChangesAsync());
    }

    [Fact]
    public async Task Unknown_officers_and_positions_are_refused()
    {
        var (seat, holder, _, _) = await SeatsAsync();
        await RefusedAsync(() => PostAsync("OFF-999999", seat), "UNKNOWN_OFFICER", "input.officerId");
        await RefusedAsync(() => PostAsync(holder, "no-such@seat:1"), "UNKNOWN_POSITION", "input.positionId");
        await RefusedAsync(() => EndPostingAsync("OFF-999999"), "UNKNOWN_OFFICER", "input.officerId");
        var now = Host.Clock.GetUtcNow();
        await RefusedAsync(() => RecordLeaveAsync("OFF-999999", now.AddHours(1), now.AddHours(2), holder), "UNKNOWN_OFFICER", "input.officerId");
        await RefusedAsync(() => EndLeaveAsync("424242"), "INVALID_VALUE", "input.leaveId");
        await RefusedAsync(() => EndLeaveAsync("not-a-number"), "INVALID_VALUE", "input.leaveId");
        await RefusedAsync(
            () => Host.GraphQLAsync("mutation { setOfficePhone(input: { positionId: \"no-such@seat:1\", officePhone: \"9415012345\" }) { id } }"),
            "UNKNOWN_POSITION", "input.positionId");
    }

    [Fact]
    public async Task Ending_the_posting_of_an_unposted_officer_is_refused()
    {
        var added = await AddOfficerAsync("unposted");
        await RefusedAsync(() => EndPostingAsync(added, "RETIREMENT"), "INVALID_VALUE", "input.officerId", "not posted");
    }

    [Fact]
    public async Task Bad_leave_is_refused_field_by_field()
    {
        var (seat, holder, _, charge) = await SeatsAsync();
        var now = Host.Clock.GetUtcNow();
        await RefusedAsync(() => RecordLeaveAsync(holder, now.AddHours(2), now.AddHours(2), charge), "INVALID_VALUE", "input.to");
        await RefusedAsync(() => RecordLeaveAsync(holder, now.AddHours(3), now.AddHours(2), charge), "INVALID_VALUE", "input.to");
        await RefusedAsync(() => RecordLeaveAsync(holder, now.AddHours(-2), now.AddHours(2), charge), "INVALID_VALUE", "input.from", "in the past");
        await RefusedAsync(() => RecordLeaveAsync(holder, now.AddHours(1), now.AddHours(2), holder), "INVALID_VALUE", "input.chargeOfficerId");
        await RefusedAsync(() => RecordLeaveAsync(holder, now.AddHours(1), now.AddHours(2), "OFF-999999"), "INVALID_VALUE", "input.chargeOfficerId");
        var unposted = await AddOfficerAsync("unposted-leave");
        await RefusedAsync(() => RecordLeaveAsync(unposted, now.AddHours(1), now.AddHours(2), charge), "INVALID_VALUE", "input.officerId");

        // A leave stored; a second one overlapping it is refused, and so is a charge officer on leave during it.
        var first = await RecordLeaveAsync(holder, now.AddDays(1), now.AddDays(5), charge);
        Assert.Null(first.Errors);
        await RefusedAsync(() => RecordLeaveAsync(holder, now.AddDays(4), now.AddDays(6), charge), "INVALID_VALUE", "input.from", "overlaps");
        await RefusedAsync(() => RecordLeaveAsync(charge, now.AddDays(2), now.AddDays(3), holder), "INVALID_VALUE", "input.chargeOfficerId", "on leave");
        // The charge officer cannot go on leave while holding that charge.
        var third = await AddOfficerAsync("third");
        var elsewhere = Host.Services.GetRequiredService<Helpline.Officers.IOfficerDirectory>().PositionsAt(BlockId).First(p => p.Id != seat).Id;
        Assert.Null((await PostAsync(third, elsewhere, relieve: true)).Errors); // only a posted officer holds a charge
        await RefusedAsync(() => RecordLeaveAsync(charge, now.AddDays(2), now.AddDays(3), third), "INVALID_VALUE", "input.from", "holds the charge");
        // Back to back is fine: 'to' is the instant the officer is back.
        Assert.Null((await RecordLeaveAsync(holder, now.AddDays(5), now.AddDays(6), charge)).Errors);
        Assert.Equal((holder, holder), await HolderOfAsync(seat));
    }

    [Fact]
    public async Task Bad_officers_and_phones_are_refused_and_a_good_phone_is_stored_as_digits()
    {
        var (seat, _, _, _) = await SeatsAsync();
        const string AddOfficer = "mutation($i: AddOfficerInput!) { addOfficer(input: $i) { id } }";
        await RefusedAsync(() => Host.GraphQLAsync(AddOfficer, new { i = new { clientRequestId = "bad-1", name = "Asha", mobile = "12345" } }), "INVALID_VALUE", "input.mobile", "'12345' is not");
        await RefusedAsync(() => Host.GraphQLAsync(AddOfficer, new { i = new { clientRequestId = "bad-3", name = "Asha", mobile = new string('9', 100_000) } }), "INVALID_VALUE", "input.mobile", "(100,000 characters)");
        await RefusedAsync(() => Host.GraphQLAsync(AddOfficer, new { i = new { clientRequestId = "bad-2", name = "  ", mobile = "9415012345" } }), "REQUIRED", "input.name");
        await AddOfficerAsync("reused");
        await RefusedAsync(
            () => Host.GraphQLAsync(AddOfficer, new { i = new { clientRequestId = "reused", name = "Someone Else", mobile = "9415012345" } }),
            "INVALID_VALUE", "input.clientRequestId");

        const string SetPhone = "mutation($i: SetOfficePhoneInput!) { setOfficePhone(input: $i) { officePhone } }";
        foreach (var bad in new[] { "12345", "phone", "0522-22345", "5415012345" })
        {
            await RefusedAsync(() => Host.GraphQLAsync(SetPhone, new { i = new { positionId = seat, officePhone = bad } }), "INVALID_VALUE", "input.officePhone");
        }

        Assert.Equal("05222234567", (await Host.GraphQLAsync(SetPhone, new { i = new { positionId = seat, officePhone = "0522-223 4567" } })).Get("setOfficePhone.officePhone").GetValue<string>());
        Assert.Equal("9415012345", (await Host.GraphQLAsync(SetPhone, new { i = new { positionId = seat, officePhone = "+91 94150 12345" } })).Get("setOfficePhone.officePhone").GetValue<string>());
        var shown = await Host.GraphQLAsync("query($id: String!) { position(id: $id) { officePhone } }", new { id = seat }, bearer: HelplineTestHost.NoToken);
        Assert.Equal("9415012345", shown.Get("position.officePhone").GetValue<string>());
    }
}
