-- Postings and leave, changed live by an administrator (issue 12).
-- An officer may be unposted (transferred out, retired, relieved, or added and not yet posted). One holder per seat
-- stays (officer_position_key allows any number of unposted officers).
alter table officers.officer alter column position_id drop not null;

-- addOfficer is idempotent by the client's request id.
alter table officers.officer add column client_request_id text null unique;

-- The seat's office phone, shown to the public instead of any personal number. Digits only: a mobile (10 digits) or a
-- landline with its STD code and leading 0 (11 digits).
alter table officers.position add column office_phone text null check (office_phone ~ '^[0-9]{10,11}$');

-- Number of the last PositionHolderChanged published for the seat, so each change gets the next one.
alter table officers.position add column holder_change_seq integer not null default 0;

-- Postings made or ended by an administrator. A posting from the generated roster has no row until it is ended:
-- then started_at is null (posted before records began).
create table officers.posting (
  id bigint generated always as identity primary key,
  officer_id text not null references officers.officer (id),
  position_id text not null references officers.position (id),
  started_at timestamptz null,
  started_by text null,
  note text null,
  ended_at timestamptz null,
  end_reason text null check (end_reason in ('transfer', 'retirement', 'relieved')),
  ended_by text null,
  end_note text null,
  check ((ended_at is null) = (end_reason is null)),
  check (ended_at is null or started_at is null or ended_at >= started_at)
);

-- An officer has at most one open posting.
create unique index posting_open_officer_key on officers.posting (officer_id) where ended_at is null;
create index posting_position_idx on officers.posting (position_id);

-- Leave of an officer from starts_at to ends_at (exclusive), with the officer who holds the charge of their seat
-- meanwhile. ended_at is set when an administrator ends it early (at or before starts_at: cancelled before it began).
-- start_announced / end_announced: the PositionHolderChanged of its start / end has been published (exactly once).
create table officers.leave (
  id bigint generated always as identity primary key,
  officer_id text not null references officers.officer (id),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  charge_officer_id text not null references officers.officer (id),
  hand_over_open boolean not null default false,
  note text null,
  recorded_by text not null,
  recorded_at timestamptz not null,
  ended_at timestamptz null,
  ended_by text null,
  end_note text null,
  start_announced boolean not null default false,
  end_announced boolean not null default false,
  check (ends_at > starts_at),
  check (charge_officer_id <> officer_id)
);

create index leave_officer_idx on officers.leave (officer_id);
create index leave_charge_officer_idx on officers.leave (charge_officer_id);
-- The announcement job's sweep: leaves whose start or end is not yet published.
create index leave_unannounced_idx on officers.leave (starts_at) where not end_announced;
