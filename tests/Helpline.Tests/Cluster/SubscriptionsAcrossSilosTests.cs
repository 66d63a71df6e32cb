using System.Text.Json.Nodes;
using Helpline.Platform.Access;
using Helpline.Tests.Access;
using Helpline.Tests.Durability;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Cluster;

/// <summary>
/// Two silos of one cluster (two processes over one database) and the npm graphql-ws client: a subscriber on one silo
/// hears of grievances registered through the other, and only those within its scope.
/// </summary>
public sealed class SubscriptionsAcrossSilosTests : TwoSilos
{
    private const string Events = "subscription($j: String) { grievanceEvents(jurisdictionId: $j) { type referenceNumber jurisdictionId } }";

    [Fact]
    public async Task A_graphql_ws_subscriber_on_one_silo_hears_of_grievances_registered_through_the_other_within_its_scope()
    {
        try
        {
            await HearAcrossSilosAsync();
        }
        catch (Exception ex) when (ex is TimeoutException or Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{ex.Message}\nSilo A said:\n{A.RecentOutput}\nSilo B said:\n{B.RecentOutput}", ex);
        }
    }

    private async Task HearAcrossSilosAsync()
    {
        var lucknowToken = TestTokens.Mint(Role.Partner, "lucknow-portal", jurisdictions: [Places.Lucknow]);
        var agraToken = TestTokens.Mint(Role.Partner, "agra-portal", jurisdictions: [Places.Agra]);
        await using var lucknow = await NodeClient.SubscribeAsync(A.Http.BaseAddress!, lucknowToken, Events);
        await using var agra = await NodeClient.SubscribeAsync(A.Http.BaseAddress!, agraToken, Events);
        await using var trespasser = await NodeClient.SubscribeAsync(A.Http.BaseAddress!, agraToken, Events, $$"""{"j": "{{Places.Lucknow}}"}""");
        await lucknow.NextWithAsync("ready");
        await agra.NextWithAsync("ready");

        // Outside its scope the subscription is refused with the protocol's error message, naming the argument.
        var refused = (await trespasser.NextWithAsync("error"))["error"]!.AsArray();
        Assert.Equal("OUT_OF_SCOPE", refused[0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal("jurisdictionId", refused[0]!["extensions"]!["field"]!.GetValue<string>());

        var inLucknow = await RegisterAsync(B, Places.LucknowBlock, "ws-cluster-1");
        var inAgra = await RegisterAsync(B, Places.AgraBlock, "ws-cluster-2");

        Assert.Equal(("REGISTERED", inLucknow), Event(await lucknow.NextWithAsync("next")));
        Assert.Equal(("ROUTED", inLucknow), Event(await lucknow.NextWithAsync("next")));

        // Lucknow's events were committed first: had the Agra portal heard of them, they would come first.
        Assert.Equal(("REGISTERED", inAgra), Event(await agra.NextWithAsync("next")));
    }

    private static async Task<string> RegisterAsync(ServiceProcess silo, string block, string requestId)
    {
        var data = await silo.DataAsync(Complaints.Register, Complaints.Input(requestId, block, "rd-pmayg-not-sanctioned"));
        return data["registerGrievance"]!["referenceNumber"]!.GetValue<string>();
    }

    private static (string Type, string Reference) Event(JsonObject line)
    {
        var e = line["next"]!["data"]!["grievanceEvents"]!;
        return (e["type"]!.GetValue<string>(), e["referenceNumber"]!.GetValue<string>());
    }
}
