-- The integration event log: facts that modules publish for other modules (grievance events, policy changes).
-- A producer appends rows inside the same transaction as the change they describe. Positions come from log_head,
-- whose one row every appending transaction updates, so appends are serialised from their first event to their
-- commit: a row with a higher position never becomes visible before one with a lower position, and subscribers
-- read in position order past their checkpoint (kept in event_subscription) without ever skipping one.

create table events.event_log (
    position    bigint      primary key,
    -- The writing transaction, for diagnosis.
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

-- The last position handed out. Updating it takes the row lock that orders appending transactions.
create table events.log_head (
    last_position bigint not null
);

insert into events.log_head (last_position) values (0);

create table events.event_subscription (
    subscriber    text        primary key,
    tx            xid8        not null default '0',
    position      bigint      not null default 0,
    delivered     bigint      not null default 0,
    updated_at    timestamptz not null default now(),
    last_error    text,
    failing_since timestamptz
);
