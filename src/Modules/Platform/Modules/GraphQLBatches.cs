using GraphQL;
using GraphQL.DataLoader;

namespace Helpline.Platform.Modules;

/// <summary>
/// Per-request batch loading for resolvers, so that a list of N items costs one fetch per kind of related data instead
/// of N. A resolver asks for one key and returns the pending result; GraphQL.NET completes pending results only once
/// every other field of the level has run, and the first one completed fetches every key asked for until then in one
/// call. Loaders live in the request's user context under their name, so each request has its own and answers for a
/// key are shared within the request only (never across callers with different scopes).
/// </summary>
public static class GraphQLBatches
{
    private const string KeyPrefix = "helpline.batch:";

    /// <summary>
    /// The value for <paramref name="key"/>, fetched together with every other key asked of the loader
    /// <paramref name="loader"/> in this request. Keys are deduplicated: a key asked for twice is fetched once.
    /// </summary>
    /// <param name="context">The resolver's context (its user context holds the request's loaders).</param>
    /// <param name="loader">The loader's name, unique across modules (for example <c>officers.workload</c>).</param>
    /// <param name="key">What to load.</param>
    /// <param name="fetch">
    /// Fetches distinct keys at once and answers in the same order. Only the first resolver's delegate for a loader
    /// name is kept: every resolver of one loader must pass an equivalent one.
    /// </param>
    /// <typeparam name="TKey">The key, compared with its default equality.</typeparam>
    /// <typeparam name="TValue">The value.</typeparam>
    public static IDataLoaderResult<TValue> Load<TKey, TValue>(
        IResolveFieldContext context,
        string loader,
        TKey key,
        Func<IReadOnlyList<TKey>, CancellationToken, Task<IReadOnlyList<TValue>>> fetch)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(loader);
        ArgumentNullException.ThrowIfNull(fetch);
        var userContext = context.UserContext ?? throw new InvalidOperationException("A batch loader needs the request's user context.");
        RequestBatch<TKey, TValue> batch;

        // The parallel execution strategy may run resolvers on several threads; the user context is a plain dictionary.
        lock (userContext)
        {
            if (userContext.TryGetValue(KeyPrefix + loader, out var existing))
            {
                batch = existing as RequestBatch<TKey, TValue>
                    ?? throw new InvalidOperationException($"Batch loader '{loader}' is already used with other key or value types.");
            }
            else
            {
                batch = new RequestBatch<TKey, TValue>(fetch);
                userContext[KeyPrefix + loader] = batch;
            }
        }

        return batch.Load(key);
    }

    /// <summary>A pending result whose value is <paramref name="map"/> applied to <paramref name="result"/>'s.</summary>
    /// <param name="result">The pending result.</param>
    /// <param name="map">What to make of its value.</param>
    /// <typeparam name="T">The value loaded.</typeparam>
    /// <typeparam name="TResult">The value answered.</typeparam>
    public static IDataLoaderResult<TResult> Then<T, TResult>(this IDataLoaderResult<T> result, Func<T, TResult> map)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(map);
        return new Mapped<T, TResult>(result, map);
    }

    private sealed class RequestBatch<TKey, TValue>(Func<IReadOnlyList<TKey>, CancellationToken, Task<IReadOnlyList<TValue>>> fetch)
        where TKey : notnull
    {
        private readonly Lock _lock = new();
        private readonly Dictionary<TKey, TaskCompletionSource<TValue>> _answers = [];
        private List<TKey> _pending = [];

        public IDataLoaderResult<TValue> Load(TKey key)
        {
            lock (_lock)
            {
                if (!_answers.TryGetValue(key, out var answer))
                {
                    answer = new TaskCompletionSource<TValue>(TaskCreationOptions.RunContinuationsAsynchronously);
                    _answers[key] = answer;
                    _pending.Add(key);
                }

                return new Pending(this, answer.Task);
            }
        }

        // Fetches whatever is pending, once: a second caller finds nothing pending and waits for the first one's answers.
        private async Task DispatchAsync(CancellationToken cancellationToken)
        {
            List<TKey> keys;
            TaskCompletionSource<TValue>[] answers;
            lock (_lock)
            {
                if (_pending.Count == 0)
                {
                    return;
                }

                keys = _pending;
                _pending = [];
                answers = [.. keys.Select(k => _answers[k])];
            }

            try
            {
                var values = await fetch(keys, cancellationToken);
                if (values.Count != keys.Count)
                {
                    throw new InvalidOperationException($"A batch fetch answered {values.Count} values for {keys.Count} keys.");
                }

                for (var i = 0; i < answers.Length; i++)
                {
                    answers[i].TrySetResult(values[i]);
                }
            }
            catch (Exception ex)
            {
                foreach (var answer in answers)
                {
                    answer.TrySetException(ex);
                }
            }
        }

        private sealed class Pending(RequestBatch<TKey, TValue> batch, Task<TValue> answer) : IDataLoaderResult<TValue>
        {
            public async Task<TValue> GetResultAsync(CancellationToken cancellationToken = default)
            {
                if (!answer.IsCompleted)
                {
                    await batch.DispatchAsync(cancellationToken);
                }

                return await answer;
            }

            async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
        }
    }

    private sealed class Mapped<T, TResult>(IDataLoaderResult<T> inner, Func<T, TResult> map) : IDataLoaderResult<TResult>
    {
        public async Task<TResult> GetResultAsync(CancellationToken cancellationToken = default) => map(await inner.GetResultAsync(cancellationToken));

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
    }
}
