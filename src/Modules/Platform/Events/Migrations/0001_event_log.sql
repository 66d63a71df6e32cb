-- The integration event log: facts that modules publish for other modules (grievance events, policy changes).
-- A producer appends rows inside the same transaction as the change they describe; subscribers read them in
-- (tx, position) order, never past the oldest transaction still in flight (see EventDispatcher), and keep their
-- checkpoint in event_subscription.

create table events.event_log (
    position    bigint generated always as identity primary key,
    -- The writing transaction: rows become readable once every transaction that started before this one has ended.
    tx          xid8        not null default pg_current_xact_id(),
    event_id    uuid        not null unique,
    stream      text        not null,
    stream_key  text        not null,
    stream_seq  integer     not null,
    type        text        not null,
    occurred_at timestamptz not null,
    -- json, not jsonb: stored as written (nothing here queries inside it), which is cheaper to insert.
    payload     json        not null,
    recorded_at timestamptz not null default now(),
    unique (stream, stream_key, stream_seq)
);

create index event_log_tx_position_idx on events.event_log (tx, position);

create table events.event_subscription (
    subscriber    text        primary key,
    tx            xid8        not null default '0',
    position      bigint      not null default 0,
    delivered     bigint      not null default 0,
    updated_at    timestamptz not null default now(),
    last_error    text,
    failing_since timestamptz
);
