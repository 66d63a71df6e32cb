using System.Net;
using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Access;

/// <summary>
/// The largest page on the real schema: a larger <c>first</c> is refused before anything runs, naming the argument
/// (also far over the complexity limit, where the complexity error used to name nothing); the largest page is
/// served; and a page past the end is empty.
/// </summary>
public sealed class PageLimitsTests(AccessTestHost world) : IClassFixture<AccessTestHost>
{
    private string Auditor => world.Token(Role.Auditor, "page-tests-auditor");

    [Theory]
    [InlineData(101)]
    [InlineData(100_000)]
    public async Task A_page_over_the_largest_is_refused_naming_grievances_first(int first)
    {
        var r = await world.SendAsync("query($n: Int) { grievances(first: $n) { totalCount nodes { referenceNumber } } }", new { n = first }, Auditor);

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal("PAGE_TOO_LARGE", Assert.Single(r.Codes));
        Assert.Equal("grievances.first", r.Errors![0]!["extensions"]!["field"]!.GetValue<string>());
        Assert.Equal(100, r.Errors![0]!["extensions"]!["max"]!.GetValue<int>());
        Assert.EndsWith("Ask for the next page with 'after'.", r.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_largest_page_is_served_and_a_page_past_the_end_is_empty()
    {
        await world.RegisterAsync(Places.LucknowBlock);

        // The list is read from the read model, which the registration reaches asynchronously.
        var all = await Wait.UntilAsync(
            () => world.SendAsync("{ grievances(first: 100) { totalCount pageInfo { endCursor hasNextPage } } }", bearer: Auditor),
            r => r.Get("grievances.totalCount").GetValue<long>() > 0, "the registered grievance in the list");
        var cursor = all.Get("grievances.pageInfo.endCursor").GetValue<string>();
        var past = await world.SendAsync(
            "query($a: String) { grievances(first: 100, after: $a) { nodes { referenceNumber } pageInfo { endCursor hasNextPage } } }", new { a = cursor }, Auditor);

        Assert.Equal(HttpStatusCode.OK, all.Status);
        Assert.False(all.Get("grievances.pageInfo.hasNextPage").GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, past.Status);
        Assert.Null(past.Errors);
        Assert.Empty(past.Get("grievances.nodes").AsArray());
        Assert.False(past.Get("grievances.pageInfo.hasNextPage").GetValue<bool>());
    }
}
