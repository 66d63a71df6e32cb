-- Seats (positions) of each department at each jurisdiction, and the officers holding them.
-- Rows with origin 'generated' are owned by the roster loader, which adds, changes and removes them to match
-- its generation; rows with any other origin are never touched by it.
create table officers.position (
  id text primary key,
  title text not null check (btrim(title) <> ''),
  department_id text not null,
  jurisdiction_id text not null,
  supervisor_position_id text null references officers.position (id) deferrable initially deferred,
  origin text not null default 'generated',
  constraint position_department_jurisdiction_key unique (department_id, jurisdiction_id),
  check (supervisor_position_id is distinct from id)
);

create index position_jurisdiction_idx on officers.position (jurisdiction_id);
create index position_supervisor_idx on officers.position (supervisor_position_id);

create table officers.officer (
  id text primary key check (id ~ '^OFF-[0-9]{6,}$'),
  name text not null check (btrim(name) <> ''),
  mobile text not null check (mobile ~ '^[6-9][0-9]{9}$'),
  position_id text not null references officers.position (id) deferrable initially deferred,
  created_at timestamptz not null default now(),
  origin text not null default 'generated',
  -- One holder per seat.
  constraint officer_position_key unique (position_id) deferrable initially deferred
);

-- Content hash of the last generated roster, so an unchanged roster is not rewritten at every start.
create table officers.roster_load (
  roster text primary key,
  content_hash text not null,
  loaded_at timestamptz not null default now()
);
