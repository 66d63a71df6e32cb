using Npgsql;

namespace Helpline.Grievances.ReadModel;

/// <summary>Hands out grievance serial numbers, unique across every silo.</summary>
internal interface IReferenceNumberAllocator
{
    /// <summary>The next unused serial (1..999,999,999). Serials are unique, increasing per silo, and may have gaps.</summary>
    ValueTask<long> NextAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Hi/lo allocation: each <c>nextval</c> of <c>grievances.reference_serial</c> (step 100) reserves a block of 100
/// serials for this silo, so registration costs one sequence round trip per hundred grievances and no commit.
/// </summary>
internal sealed class ReferenceNumberAllocator(NpgsqlDataSource dataSource) : IReferenceNumberAllocator, IDisposable
{
    private const int BlockSize = 100;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _next;
    private long _end;

    public async ValueTask<long> NextAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_next >= _end)
            {
                await using var cmd = dataSource.CreateCommand("select nextval('grievances.reference_serial')");
                var high = (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
                _next = high - BlockSize + 1;
                _end = high + 1;
            }

            return _next++;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
