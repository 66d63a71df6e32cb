-- SLA: working calendars, which jurisdiction uses which calendar, holidays per jurisdiction, and per-category,
-- per-level policy overrides. Seeded by SlaLoader (default calendar, its assignment to the state root, the shipped
-- holidays); afterwards the database is the source of truth and the in-memory snapshot is refreshed from it.
-- Jurisdiction and category ids are keys of other modules: stored as text and checked by the application, because
-- modules never reference each other's tables.

create or replace function sla.touch_updated_at() returns trigger
language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

-- Office week and hours, Indian Standard Time (UTC+05:30, no daylight saving).
-- working_days holds ISO day numbers: 1 = Monday ... 7 = Sunday.
create table sla.calendars (
  id           text        primary key check (id ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$'),
  name         text        not null check (btrim(name) <> '' and length(name) <= 200),
  working_days smallint[]  not null check (
                 cardinality(working_days) between 1 and 7
                 and working_days <@ array[1, 2, 3, 4, 5, 6, 7]::smallint[]),
  opening      time        not null,
  closing      time        not null,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  check (opening < closing)
);

-- A jurisdiction's calendar; jurisdictions without a row inherit the nearest ancestor's (else the 'default' calendar).
create table sla.calendar_assignments (
  jurisdiction_id text        primary key check (btrim(jurisdiction_id) <> ''),
  calendar_id     text        not null references sla.calendars (id),
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);

create index calendar_assignments_calendar_idx on sla.calendar_assignments (calendar_id);

-- A whole-day holiday observed by the jurisdiction and everything below it.
-- source: 'shipped' (Data/holidays-*.csv via the loader), 'admin' (AddHolidaysAsync), 'import' (a holiday file).
create table sla.holidays (
  jurisdiction_id text        not null check (btrim(jurisdiction_id) <> ''),
  date            date        not null check (date between date '2000-01-01' and date '2100-12-31'),
  name            text        not null check (btrim(name) <> '' and length(name) <= 200),
  source          text        not null check (source in ('shipped', 'admin', 'import')),
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (jurisdiction_id, date)
);

create index holidays_date_idx on sla.holidays (date);

-- Overrides the catalogue's calendar-day SLA of one category at one level (1 = L1 ... 4 = L4).
-- unit holds the Helpline.Sla.SlaUnit member name.
create table sla.policy_overrides (
  category_id   text         not null check (category_id ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$'),
  level         smallint     not null check (level between 1 and 4),
  unit          text         not null check (unit in ('CalendarDays', 'WorkingDays', 'WorkingHours')),
  amount        integer      not null check (amount >= 1 and amount <= case when unit = 'WorkingHours' then 8760 else 365 end),
  warning_share numeric(5,4) not null default 0.75 check (warning_share > 0 and warning_share <= 1),
  created_at    timestamptz  not null default now(),
  updated_at    timestamptz  not null default now(),
  primary key (category_id, level)
);

create trigger calendars_touch before update on sla.calendars
  for each row execute function sla.touch_updated_at();
create trigger calendar_assignments_touch before update on sla.calendar_assignments
  for each row execute function sla.touch_updated_at();
create trigger holidays_touch before update on sla.holidays
  for each row execute function sla.touch_updated_at();
create trigger policy_overrides_touch before update on sla.policy_overrides
  for each row execute function sla.touch_updated_at();
