// Two versions of one persisted state type, as they would exist before and after a refactoring that renamed the
// class and moved it to another namespace. Neither root type has an [Alias]: the grain storage serializer writes no
// type identity for a value of the declared state type, so the rename is safe without one. Members are matched by
// [Id]; the later version adds a member, which old state simply lacks.

namespace Helpline.Tests.OrleansProviders.Before
{
    [GenerateSerializer]
    public sealed class ComplaintRecord
    {
        [Id(0)]
        public string Title { get; set; } = "";

        [Id(1)]
        public int Level { get; set; }

        [Id(2)]
        public List<string> Notes { get; set; } = [];

        [Id(3)]
        public DateTimeOffset? DueAt { get; set; }
    }
}

namespace Helpline.Tests.OrleansProviders.After
{
    [GenerateSerializer]
    public sealed class GrievanceSnapshot
    {
        [Id(0)]
        public string Title { get; set; } = "";

        [Id(1)]
        public int Level { get; set; }

        [Id(2)]
        public List<string> Notes { get; set; } = [];

        [Id(3)]
        public DateTimeOffset? DueAt { get; set; }

        [Id(4)]
        public string? AddedLater { get; set; }
    }
}
