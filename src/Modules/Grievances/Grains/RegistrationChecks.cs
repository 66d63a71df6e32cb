using System.Collections.Concurrent;
using Helpline.Grievances.Desk;

namespace Helpline.Grievances.Grains;

/// <summary>
/// Carries a registering grain's complaint limit check to its storage, which Orleans calls with the state alone, and
/// the check's refusal back. The grain begins the check before it stores the new complaint and ends it once the write
/// has ended, so only that first write makes it. A refusal comes back this way, not as the write's exception, because
/// Orleans logs every exception a storage throws as a failure, and a caller over the limit is not one. An activation
/// exists once in a silo, so its grain id is key enough.
/// </summary>
internal sealed class RegistrationChecks(DeskSettings settings)
{
    private readonly ConcurrentDictionary<GrainId, Pending> _pending = new();

    /// <summary>Sets the check <paramref name="request"/>'s first write makes, when it needs one.</summary>
    public void Begin(GrainId grain, RegisterGrievance request, DateTimeOffset registeredAt)
    {
        if (ComplaintLimitCheck.For(settings, request, registeredAt) is { } check)
        {
            _pending[grain] = new Pending(check);
        }
    }

    /// <summary>The check set for <paramref name="grain"/>'s write, if any.</summary>
    public ComplaintLimitCheck? For(GrainId grain) => _pending.GetValueOrDefault(grain)?.Check;

    /// <summary>The storage's word that the check refused the write, and nothing of it was stored.</summary>
    public void Refuse(GrainId grain, ComplaintLimitCheck.Refusal refusal)
    {
        if (_pending.TryGetValue(grain, out var pending))
        {
            pending.Refusal = refusal;
        }
    }

    /// <summary>MONTHLY_LIMIT_REACHED when the check refused <paramref name="grain"/>'s write; otherwise null.</summary>
    public Exception? RefusalOf(GrainId grain) =>
        _pending.GetValueOrDefault(grain) is { Refusal: { } refusal } pending ? ComplaintLimit.Refused(pending.Check, refusal) : null;

    public void End(GrainId grain) => _pending.TryRemove(grain, out _);

    private sealed class Pending(ComplaintLimitCheck check)
    {
        public ComplaintLimitCheck Check { get; } = check;

        public ComplaintLimitCheck.Refusal? Refusal { get; set; }
    }
}
