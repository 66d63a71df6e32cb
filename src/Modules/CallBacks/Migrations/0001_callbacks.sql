-- Satisfaction call-backs: one per disposal (its id is the disposal event's id, so a redelivered event finds its row),
-- gathered into campaigns per day and district or department, handed to call-back agents under a lease.
create table callbacks.campaign (
    id             text        primary key,
    day            date        not null,
    group_kind     text        not null check (group_kind in ('district', 'department')),
    group_id       text        not null,
    state          text        not null default 'open' check (state in ('open', 'closed')),
    calling_from   time        not null,
    calling_until  time        not null,
    created_at     timestamptz not null,
    closed_at      timestamptz,
    unique (day, group_kind, group_id)
);

create index campaign_open_idx on callbacks.campaign (day) where state = 'open';

create table callbacks.call_back (
    id                 uuid        primary key,
    reference_number   text        not null,
    disposal_sequence  int         not null,
    disposal_type      text        not null,
    disposed_at        timestamptz not null,
    disposed_by        text        not null,
    officer_id         text,
    position_id        text,
    level              int,
    kind               text        not null,
    department_id      text        not null,
    category_id        text,
    jurisdiction_id    text        not null,
    jurisdiction_path  text[]      not null,
    district_id        text        not null,
    registered_by      text        not null,
    created_at         timestamptz not null,
    due_at             timestamptz not null,
    callable_from      timestamptz not null,
    state              text        not null default 'pending'
                                   check (state in ('pending', 'satisfied', 'dissatisfied', 'not_reachable', 'cancelled')),
    attempts           int         not null default 0,
    campaign_id        text        references callbacks.campaign (id),
    completed_at       timestamptz,
    rating             smallint    check (rating between 1 and 5),
    outcome_note       text,
    applied            boolean     not null default true,
    unique (reference_number, disposal_sequence)
);

-- The campaign builder sweeps call-backs not yet in a campaign, oldest first, in batches.
create index call_back_unassigned_idx on callbacks.call_back (callable_from, id) where state = 'pending' and campaign_id is null;
-- An agent's next call: the oldest due pending call-back of the campaign.
create index call_back_queue_idx on callbacks.call_back (campaign_id, due_at, id) where state = 'pending';
-- Outcomes recorded but not yet applied to their grievance (a crash between the two): the repair job finishes them.
create index call_back_unapplied_idx on callbacks.call_back (completed_at) where not applied;
create index call_back_reference_idx on callbacks.call_back (reference_number);
create index call_back_disposed_idx on callbacks.call_back (disposed_at);

-- Every attempt, as the agent recorded it.
create table callbacks.attempt (
    call_back_id  uuid        not null references callbacks.call_back (id),
    number        int         not null,
    agent_id      text        not null,
    at            timestamptz not null,
    outcome       text        not null check (outcome in ('satisfied', 'dissatisfied', 'not_reachable')),
    rating        smallint,
    reason        text,
    note          text,
    primary key (call_back_id, number)
);

-- Who holds which call-back: a lease, kept apart from the call-back so that handing out a thousand calls writes a
-- thousand narrow rows, not a thousand wide ones with every index of call_back. Its primary key is what keeps two
-- silos from handing out the same call-back: the second insert meets the first's live lease and takes nothing. No
-- foreign key: checking one would lock every call-back handed out, the cost this table exists to avoid (the queue
-- only leases call-backs it has just read).
create table callbacks.lease (
    call_back_id  uuid        primary key,
    agent_id      text        not null,
    campaign_id   text        not null,
    leased_at     timestamptz not null,
    lease_until   timestamptz not null
);

-- An agent asking again while holding a call gets the same call (a retried request hands out nothing new).
create index lease_agent_idx on callbacks.lease (agent_id, campaign_id);
