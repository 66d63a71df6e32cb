-- Accountability: facts about officers' handling of grievances, read from grievance and call-back events (each fact's
-- id is the event's id, so a redelivered event adds nothing), penalty flags raised from them by rules, supervisors'
-- reviews, and monthly rankings with the figures behind every mark.

-- What the facts need to know about a grievance between its events: whether it is on hold (a breach then counts
-- against nobody), who made its last disposal (a reopening counts against them), who asked for the pending return
-- (a refusal counts against them, not against whoever holds the seat), and the seat an approved not-pertaining return
-- left (the return is overturned if the grievance comes back to it).
create table accountability.grievance (
    reference_number         text primary key,
    on_hold                  boolean not null default false,
    disposal_sequence        int,
    disposal_officer_id      text,
    disposal_position_id     text,
    return_requested_by      text,
    returned_from_position   text,
    returned_from_officer    text,
    returned_at              timestamptz
);

-- One row per fact. kind: disposal (on_time says whether by its due date), breach, reopened, satisfied, dissatisfied,
-- c_grade, overturned_return. A fact counts against its officer unless excused (why in excused) or cleared (a
-- recompute cleared the breach, a C grade was revised).
create table accountability.fact (
    id                       uuid        primary key,
    kind                     text        not null check (kind in ('disposal', 'breach', 'reopened', 'satisfied', 'dissatisfied', 'c_grade', 'overturned_return')),
    reference_number         text        not null,
    sequence                 int         not null,
    at                       timestamptz not null,
    officer_id               text        not null,
    position_id              text,
    level                    int,
    supervisor_position_id   text,
    supervisor_officer_id    text,
    department_id            text        not null,
    jurisdiction_id          text        not null,
    district_id              text,
    tehsil_id                text,
    block_id                 text,
    on_time                  boolean,
    at_top                   boolean     not null default false,
    excused                  text,
    cleared_at               timestamptz,
    cleared_why              text,
    recorded_at              timestamptz not null,
    note                     text
);

create index fact_kind_at_idx on accountability.fact (kind, at);
create index fact_reference_idx on accountability.fact (reference_number, kind);
create index fact_officer_idx on accountability.fact (officer_id, at);

-- Who held each grievance when, with its due date then: pendency beyond the due date at a month's end is counted
-- against whoever held it at that instant.
create table accountability.holding (
    reference_number   text        not null,
    sequence           int         not null,
    from_at            timestamptz not null,
    to_at              timestamptz,
    officer_id         text        not null,
    position_id        text,
    level              int,
    department_id      text        not null,
    jurisdiction_id    text        not null,
    district_id        text,
    tehsil_id          text,
    block_id           text,
    due_at             timestamptz,
    on_hold            boolean     not null,
    primary key (reference_number, sequence)
);

create index holding_open_idx on accountability.holding (reference_number) where to_at is null;

-- A supervisor's grade of a disposal; a new grade of the same disposal supersedes the old, which is kept.
create table accountability.grade (
    id                 uuid        primary key,
    n                  bigint      generated always as identity,
    reference_number   text        not null,
    disposal_sequence  int         not null,
    grade              text        not null check (grade in ('A', 'B', 'C')),
    remark             text        not null,
    graded_by          text        not null,
    graded_at          timestamptz not null,
    superseded_at      timestamptz
);

create unique index grade_disposal_idx on accountability.grade (reference_number, disposal_sequence) where superseded_at is null;

-- A penalty flag: raised once per officer, rule and period.
create table accountability.flag (
    id                       uuid        primary key,
    officer_id               text        not null,
    rule                     text        not null,
    period                   text        not null,
    period_from              timestamptz not null,
    period_to                timestamptz not null,
    position_id              text,
    supervisor_position_id   text,
    supervisor_officer_id    text,
    department_id            text,
    jurisdiction_path        text[]      not null default '{}',
    figures                  text        not null,
    evidence                 text[]      not null,
    raised_at                timestamptz not null,
    status                   text        not null default 'raised' check (status in ('raised', 'upheld', 'withdrawn')),
    unique (officer_id, rule, period)
);

create index flag_supervisor_idx on accountability.flag (supervisor_officer_id, period);
create index flag_period_idx on accountability.flag (period, rule);

-- Every change of a flag's status, by whom and why; nothing is deleted. 'raised' is the system raising again a flag it
-- had withdrawn, when the officer meets the rule again in the same period.
create table accountability.flag_review (
    id           uuid        primary key,
    n            bigint      generated always as identity,
    flag_id      uuid        not null references accountability.flag (id),
    decision     text        not null check (decision in ('raised', 'upheld', 'withdrawn')),
    reason       text        not null,
    reviewed_by  text        not null,
    reviewed_at  timestamptz not null,
    by_system    boolean     not null default false
);

create index flag_review_flag_idx on accountability.flag_review (flag_id, n);

-- A ranking run of a month: computed (rows in ranking_row) or skipped; each run is kept, the latest is shown.
create table accountability.ranking_run (
    id            uuid        primary key,
    month         date        not null,
    state         text        not null check (state in ('computed', 'skipped')),
    scheme        text        not null,
    reason        text,
    run_by        text        not null,
    run_at        timestamptz not null,
    as_of         timestamptz not null
);

create index ranking_run_month_idx on accountability.ranking_run (month, run_at desc);

create table accountability.ranking_row (
    run_id      uuid    not null references accountability.ranking_run (id),
    level       text    not null,
    unit_id     text    not null,
    rank        int     not null,
    marks       numeric not null,
    percent     numeric not null,
    breakdown   text    not null,
    primary key (run_id, level, unit_id)
);
