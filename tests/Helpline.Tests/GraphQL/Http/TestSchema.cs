#pragma warning disable IDE0005 // explicit usings on purpose: this file must build with or without the project's global usings

using GraphQL;
using GraphQL.Types;
using Helpline.GraphQL.Http;
using Helpline.Grievances;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;
using Helpline.Platform.Modules;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Tests.GraphQLHttp;

/// <summary>
/// A tiny schema for the transport tests: a query, a mutation, and fields that fail in each way. Every root field is
/// open to everyone: the transport refuses a root field that declares no roles (FieldAccessValidationRule).
/// </summary>
public sealed class TestSchema : Schema
{
    public TestSchema(IServiceProvider services)
        : base(services)
    {
        Query = new TestQuery();
        Mutation = new TestMutation();
    }
}

public sealed class TestQuery : ObjectGraphType
{
    /// <summary>A message no response may ever contain.</summary>
    public const string Secret = "Host=db.internal;Password=hunter2";

    public TestQuery()
    {
        Name = "Query";
        Field<StringGraphType>("hello").AllowedTo(FieldAccess.Everyone)
            .Argument<StringGraphType>("name")
            .Resolve(context => $"Hello, {context.GetArgument<string?>("name") ?? "world"}!");
        Field<IntGraphType>("echoInt").AllowedTo(FieldAccess.Everyone)
            .Argument<NonNullGraphType<IntGraphType>>("value")
            .Resolve(context => context.GetArgument<int>("value"));
        Field<StringGraphType>("refuse").AllowedTo(FieldAccess.Everyone)
            .Resolve(_ => throw new HelplineException(GrievanceErrorCodes.InvalidMobile, "The mobile number must have 10 digits.", "input.complainant.mobile"));
        Field<StringGraphType>("refuseWithoutField").AllowedTo(FieldAccess.Everyone)
            .Resolve(_ => throw new HelplineException(GrievanceErrorCodes.UnknownGrievance, "No grievance has that reference number."));
        Field<StringGraphType>("crash").AllowedTo(FieldAccess.Everyone)
            .Resolve(_ => throw new InvalidOperationException(Secret));
        Field<StringGraphType>("deliberate").AllowedTo(FieldAccess.Everyone)
            .Resolve(_ => throw new ExecutionError("You asked for an error."));
        Field<StringGraphType>("siloGone").AllowedTo(FieldAccess.Everyone)
            .Resolve(_ => throw new Orleans.Runtime.SiloUnavailableException("The target silo became unavailable for message " + Secret));
        Field<StringGraphType>("callTimedOut").AllowedTo(FieldAccess.Everyone)
            .Resolve(_ => throw new InvalidOperationException("wrapped", new TimeoutException("Response did not arrive on time")));
        Field<StringGraphType>("databaseGone").AllowedTo(FieldAccess.Everyone)
            .Resolve(_ => throw new Npgsql.NpgsqlException("Failed to connect to 127.0.0.1:5432", new System.Net.Sockets.SocketException(111)));
        Field<StringGraphType>("databaseTerminated").AllowedTo(FieldAccess.Everyone)
            .Resolve(_ => throw new InvalidOperationException(
                "Error from storage provider during WriteStateAsync",
                new Npgsql.PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", Npgsql.PostgresErrorCodes.AdminShutdown)));
        Field<StringGraphType>("databaseBug").AllowedTo(FieldAccess.Everyone)
            .Resolve(_ => throw new Npgsql.NpgsqlException("42601: syntax error at or near \"selec\""));
        Field<TestNodeType>("node").AllowedTo(FieldAccess.Everyone).Resolve(_ => new object());
        Field<ListGraphType<TestNodeType>>("items").AllowedTo(FieldAccess.Everyone)
            .Argument<IntGraphType>("first", a => a.DefaultValue = 20)
            .Resolve(context => Enumerable.Range(0, Math.Clamp(context.GetArgument("first", 20), 0, 100)).Select(_ => new object()));
        Field<TestPageType>("page").AllowedTo(FieldAccess.Everyone)
            .Argument<IntGraphType>("first", a => a.DefaultValue = 20)
            .Resolve(context => Math.Clamp(context.GetArgument("first", 20), 0, 100));
        Field<IntGraphType>("slow").AllowedTo(FieldAccess.Everyone)
            .ResolveAsync(async context => await context.RequestServices!.GetRequiredService<TestConcurrency>().RunAsync());
        Field<ListGraphType<TestNodeType>>("pagedItems").AllowedTo(FieldAccess.Everyone)
            .Argument<IntGraphType>("first", a => a.DefaultValue = 10)
            .MaxPage(50)
            .Resolve(context => Enumerable.Range(0, context.GetArgument("first", 10)).Select(_ => new object()));
        Field<IntGraphType>("hang").AllowedTo(FieldAccess.Everyone)
            .ResolveAsync(async context => await new TaskCompletionSource<object?>().Task.WaitAsync(context.CancellationToken));
        Field<BooleanGraphType>("sameRequestServices").AllowedTo(FieldAccess.Everyone)
            .Resolve(context => context.RequestServices is not null && ReferenceEquals(context.RequestServices, context.GetHttpContext()?.RequestServices));
        Field<BooleanGraphType>("cancelledWithRequest").AllowedTo(FieldAccess.Everyone)
            .Resolve(context => context.GetHttpContext() is { } http && context.CancellationToken == http.RequestAborted);
        Field<StringGraphType>("requestPath").AllowedTo(FieldAccess.Everyone)
            .Resolve(context => context.GetHttpContext()?.Request.Path.Value);
        Field<StringGraphType>("userContextValue").AllowedTo(FieldAccess.Everyone)
            .Argument<NonNullGraphType<StringGraphType>>("key")
            .Resolve(context => context.UserContext.TryGetValue(context.GetArgument<string>("key"), out var value) ? value?.ToString() : null);
    }
}

public sealed class TestNodeType : ObjectGraphType
{
    public TestNodeType()
    {
        Name = "Node";
        Field<TestNodeType>("child").Resolve(_ => new object());
        Field<StringGraphType>("value").Resolve(_ => "leaf");
        Field<ListGraphType<TestNodeType>>("list").Resolve(_ => new[] { new object() });
    }
}

public sealed class TestMutation : ObjectGraphType
{
    public TestMutation()
    {
        Name = "Mutation";
        Field<IntGraphType>("increment").AllowedTo(FieldAccess.Everyone)
            .Argument<NonNullGraphType<IntGraphType>>("by")
            .Resolve(context => context.RequestServices!.GetRequiredService<TestCounter>().Add(context.GetArgument<int>("by")));
        Field<IntGraphType>("incrementWhenLetThrough").AllowedTo(FieldAccess.Everyone)
            .Argument<NonNullGraphType<IntGraphType>>("by")
            .ResolveAsync(async context =>
            {
                var services = context.RequestServices!;
                await services.GetRequiredService<TestGate>().PassAsync();
                return services.GetRequiredService<TestCounter>().Add(context.GetArgument<int>("by"));
            });
    }
}

/// <summary>Holds a resolver until the test lets it through (a mutation that outlives its timeout), whatever the time.</summary>
public sealed class TestGate
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task PassAsync() => _open.Task;

    public void Open() => _open.TrySetResult();
}

/// <summary>State the mutation changes, to prove whether it ran.</summary>
public sealed class TestCounter
{
    private int _value;

    public int Value => Volatile.Read(ref _value);

    public int Add(int by) => Interlocked.Add(ref _value, by);
}

/// <summary>Stands in for a resolver that waits on the database: records how many run at the same time.</summary>
public sealed class TestConcurrency
{
    private int _running;
    private int _most;

    public int Most => Volatile.Read(ref _most);

    public async Task<object?> RunAsync()
    {
        var now = Interlocked.Increment(ref _running);
        int seen;
        while (now > (seen = Volatile.Read(ref _most)) && Interlocked.CompareExchange(ref _most, now, seen) != seen)
        {
        }
        try
        {
            // Simulated I/O, so that resolvers overlap as real ones do; the assertion counts, it does not wait for time.
            await Task.Delay(20);
            return now;
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}

/// <summary>A cursor connection in the shape of the real schema's (a page of N nodes).</summary>
public sealed class TestPageType : ObjectGraphType<int>
{
    public TestPageType()
    {
        Name = "NodeConnection";
        Field<IntGraphType>("totalCount").Resolve(context => context.Source);
        Field<ListGraphType<TestNodeType>>("nodes").Resolve(context => Enumerable.Range(0, context.Source).Select(_ => new object()));
    }
}
