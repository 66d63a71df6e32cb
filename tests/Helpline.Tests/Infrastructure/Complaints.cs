namespace Helpline.Tests.Infrastructure;

/// <summary>The registration input many end-to-end tests send: the same complainant's phone complaint, at a place, of a category.</summary>
internal static class Complaints
{
    public const string Register = "mutation($i: RegisterGrievanceInput!) { registerGrievance(input: $i) { referenceNumber officer { id } } }";

    public static object Input(string clientRequestId, string jurisdictionId, string categoryId) => new
    {
        i = new
        {
            clientRequestId,
            kind = "COMPLAINT",
            complainant = new { name = "Meena", mobile = "9415012345" },
            jurisdictionId,
            categoryId,
            description = "Job card not issued",
            channel = "PHONE",
            agentId = "agent-1",
        },
    };
}
