using System.Text.Json;
using Helpline.WebConsole.Api;
using Helpline.WebConsole.SignIn;
using Microsoft.AspNetCore.Components;

namespace Helpline.WebConsole.Components.Pages.Board;

/// <summary>
/// The supervisor's board: the team's workload kept live by the API's <c>workloadChanges</c> subscription (refetched
/// once per burst of changes), its overdue and at-risk grievances, rebalancing, grading and flags.
/// </summary>
public sealed partial class SupervisorBoard
{
    // Changes come in bursts (one registration touches a grievance's officer, then the alerts): one refetch per burst.
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _gone = new();
    private readonly List<Seat> _seats = [];
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private string? _subject;
    private string? _seat;
    private string? _error;
    private TeamBoard? _board;
    private GrievancePage? _overdue;
    private GrievancePage? _atRisk;
    private ConsoleSubscription? _subscription;
    private bool _live;
    private bool _polling;
    private int _refreshPending;

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        var user = (await Authentication.GetAuthenticationStateAsync()).User;
        _subject = user.FindFirst(ConsoleClaims.Subject)?.Value;
        var self = await Api.SendAsync(BoardQueries.Self, new { me = _subject ?? "" });
        if (self.Get<SelfOfficer>("officer") is { } officer)
        {
            // Their own seat first, then the seats whose charge they hold (a colleague on leave).
            _seats.AddRange(new[] { officer.Position }.OfType<Seat>().Concat(officer.ChargeOf));
        }

        _seat = _seats.FirstOrDefault()?.Id;
        if (_seat is null)
        {
            _error = self.Ok ? T["You are posted to no seat, so you have no team to show."] : self.ErrorText;
            return;
        }

        await RefreshAsync();
        if (_board is not null)
        {
            await SubscribeAsync();
        }
    }

    private async Task ChooseSeatAsync(ChangeEventArgs e)
    {
        _seat = e.Value?.ToString();
        await DisposeSubscriptionAsync();
        await RefreshAsync();
        await SubscribeAsync();
    }

    private async Task RefreshAsync()
    {
        if (_seat is null)
        {
            return;
        }

        var seat = _seats.Find(s => s.Id == _seat);
        ApiResult result;
        try
        {
            result = await Api.SendAsync(BoardQueries.Board, new { p = _seat, d = seat?.DepartmentId, j = seat?.Jurisdiction?.Id }, _gone.Token);
        }
        catch (OperationCanceledException) when (_gone.IsCancellationRequested)
        {
            return; // the supervisor left while the board was asked for
        }

        _error = result.Ok ? null : result.ErrorText;
        if (result.Get<TeamBoard>("teamWorkload") is not { } board)
        {
            // Refused, or the service did not answer: what is shown (and anything typed in its forms) stays.
            return;
        }

        _board = board;
        _overdue = result.Get<GrievancePage>("overdue");
        _atRisk = result.Get<GrievancePage>("atRisk");
        foreach (var row in _board?.Officers ?? [])
        {
            _names[row.Officer.Id] = row.Officer.Name;
        }
    }

    private async Task SubscribeAsync()
    {
        if (_gone.IsCancellationRequested)
        {
            return; // a socket opened now would outlive the page
        }

        var subscription = new ConsoleSubscription(Address, Authentication);
        try
        {
            await subscription.StartAsync(BoardQueries.WorkloadChanges, new { p = _seat }, OnChangeAsync, OnEndedAsync);
            _subscription = subscription;
            _live = true;
        }
        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or OperationCanceledException or JsonException or IOException)
        {
            await subscription.DisposeAsync();
            StartPolling();
        }
    }

    private Task OnChangeAsync(JsonElement change)
    {
        if (Interlocked.Exchange(ref _refreshPending, 1) == 0)
        {
            _ = InvokeAsync(async () =>
            {
                try
                {
                    await Task.Delay(Coalesce, _gone.Token);
                    Volatile.Write(ref _refreshPending, 0);
                    await RefreshAsync();
                    StateHasChanged();
                }
                catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException && _gone.IsCancellationRequested)
                {
                    // The page went away.
                }
            });
        }

        return Task.CompletedTask;
    }

    private Task OnEndedAsync(string reason) => InvokeAsync(() =>
    {
        _live = false;
        StartPolling();
        StateHasChanged();
    });

    private void StartPolling()
    {
        _live = false;
        if (_polling)
        {
            return;
        }

        _polling = true;
        _ = InvokeAsync(async () =>
        {
            using var timer = new PeriodicTimer(PollEvery);
            try
            {
                while (!_live && await timer.WaitForNextTickAsync(_gone.Token))
                {
                    await RefreshAsync();
                    await DisposeSubscriptionAsync();
                    await SubscribeAsync();
                    StateHasChanged();
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException && _gone.IsCancellationRequested)
            {
                // The page went away.
            }

            _polling = false;
        });
    }

    private async Task DisposeSubscriptionAsync()
    {
        if (_subscription is { } subscription)
        {
            _subscription = null;
            await subscription.DisposeAsync();
        }
    }

    /// <summary>Closes the subscription's socket when the circuit ends.</summary>
    public async ValueTask DisposeAsync()
    {
        // Cancelled, not disposed: the page's first load may still be running when the circuit ends, and reading the
        // token of a disposed source throws (an unhandled ObjectDisposedException ended such circuits).
        await _gone.CancelAsync();
        await DisposeSubscriptionAsync();
    }
}
