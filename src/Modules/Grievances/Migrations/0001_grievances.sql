-- Read model of grievances: one row per grievance, kept in step with the grievance grains' state
-- (which lives in Orleans grain storage and is the source of truth), plus their timelines.
create sequence grievances.reference_serial as bigint increment by 100 minvalue 100 start with 100 no cycle;

create table grievances.grievance (
    reference_number   text        primary key,
    grain_key          text        not null unique,
    kind               text        not null,
    status             text        not null,
    channel            text        not null,
    complainant_name   text        not null,
    complainant_mobile text        not null,
    jurisdiction_id    text        not null,
    jurisdiction_path  text[]      not null,
    category_id        text        not null,
    department_id      text        not null,
    description        text        not null,
    position_id        text        not null,
    officer_id         text        not null,
    level              int         not null,
    registered_at      timestamptz not null,
    due_at             timestamptz,
    breached           boolean     not null,
    breached_at_top    boolean     not null,
    closed_at          timestamptz,
    disposal           text,
    registered_by      text        not null,
    version            int         not null,
    projected_at       timestamptz not null default now()
);

create index grievance_registered_idx on grievances.grievance (registered_at desc, reference_number desc);
create index grievance_open_due_idx on grievances.grievance (due_at) where status = 'Open';
create index grievance_open_officer_idx on grievances.grievance (officer_id) where status = 'Open';
create index grievance_officer_idx on grievances.grievance (officer_id, registered_at desc);
create index grievance_department_idx on grievances.grievance (department_id, registered_at desc);
create index grievance_category_idx on grievances.grievance (category_id, registered_at desc);
create index grievance_jurisdiction_path_idx on grievances.grievance using gin (jurisdiction_path);
create index grievance_mobile_idx on grievances.grievance (complainant_mobile);

create table grievances.timeline_event (
    reference_number text        not null references grievances.grievance (reference_number) on delete cascade,
    seq              int         not null,
    type             text        not null,
    at               timestamptz not null,
    actor            text        not null,
    note             text,
    officer_id       text,
    level            int,
    due_at           timestamptz,
    primary key (reference_number, seq)
);
