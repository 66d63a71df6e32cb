-- The partners' change feed: every grievance event, in the order it reached this module. Filled only from the
-- event log (subscriber feed.grievance-events); nothing here is read by another module.
create table feed.grievance_event (
    arrival          bigint generated always as identity primary key,
    event_id         uuid        not null unique,
    reference_number text        not null,
    sequence         integer     not null,
    type             text        not null,
    at               timestamptz not null,
    actor            text        not null,
    note             text,
    kind             text        not null,
    officer_id       text,
    position_id      text,
    level            integer,
    department_id    text,
    category_id      text,
    jurisdiction_id  text,
    due_at           timestamptz,
    received_at      timestamptz not null default now(),
    -- How many times the event was handed over; more than 1 only after a redelivery, which changes nothing else.
    deliveries       integer     not null default 1
);

create index grievance_event_reference_idx on feed.grievance_event (reference_number, sequence);
