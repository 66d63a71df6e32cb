-- Catalogue: state departments, the seat each keeps at each jurisdiction kind, and grievance categories.
-- Loaded from the shipped files by CatalogueLoader; afterwards the database is the source of truth
-- (admin edits, retirements and remaps happen here, and the in-memory catalogue is refreshed from it).

create or replace function catalogue.touch_updated_at() returns trigger
language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

create table catalogue.departments (
  id          text        primary key check (id ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$'),
  name        text        not null check (btrim(name) <> ''),
  name_hindi  text        null,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);

-- kind holds the Helpline.Jurisdictions.JurisdictionKind member name, for example 'Tehsil'.
create table catalogue.department_seats (
  department_id text        not null references catalogue.departments (id) on delete cascade,
  kind          text        not null check (kind in ('State', 'Division', 'District', 'Tehsil', 'Block', 'UrbanLocalBody', 'Village', 'City', 'Area')),
  title         text        not null check (btrim(title) <> ''),
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (department_id, kind)
);

create table catalogue.categories (
  id               text        primary key check (id ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$'),
  name             text        not null check (btrim(name) <> ''),
  department_id    text        not null references catalogue.departments (id),
  resolution_level text        not null,
  sla_l1_days      integer     not null check (sla_l1_days >= 1),
  sla_l2_days      integer     not null check (sla_l2_days >= 1),
  sla_l3_days      integer     not null check (sla_l3_days >= 1),
  sla_l4_days      integer     not null check (sla_l4_days >= 1),
  source           text        not null check (btrim(source) <> ''),
  -- Set when the category may no longer be chosen for new grievances; replaced_by names its successor, if any.
  retired_at       timestamptz null,
  replaced_by      text        null references catalogue.categories (id),
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  -- The L1 seat must exist: the department keeps a seat at the resolution level.
  foreign key (department_id, resolution_level) references catalogue.department_seats (department_id, kind),
  check (replaced_by is null or replaced_by <> id)
);

create index categories_department_idx on catalogue.categories (department_id);

create trigger departments_touch before update on catalogue.departments
  for each row execute function catalogue.touch_updated_at();
create trigger department_seats_touch before update on catalogue.department_seats
  for each row execute function catalogue.touch_updated_at();
create trigger categories_touch before update on catalogue.categories
  for each row execute function catalogue.touch_updated_at();
