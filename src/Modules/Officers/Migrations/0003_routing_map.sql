-- The routing map set by administrators: for a category and a jurisdiction (and everything below it, unless a rule
-- lower down overrides it), the position that resolves it. Category, jurisdiction and position ids belong to other
-- tables or modules and can change under a rule (a category remapped to another department), so they are checked by
-- the service when a rule is set and when it is applied, not by foreign keys: a rule whose seat no longer fits lapses
-- instead of blocking the change that made it lapse.
create table officers.route_rule (
  category_id text not null check (btrim(category_id) <> ''),
  jurisdiction_id text not null check (btrim(jurisdiction_id) <> ''),
  position_id text not null check (btrim(position_id) <> ''),
  set_by text not null check (btrim(set_by) <> ''),
  set_at timestamptz not null,
  primary key (category_id, jurisdiction_id)
);

-- Every change of a rule, oldest first by id: who, when, what it was and what it became (null = no rule), and why.
create table officers.route_change (
  id bigint generated always as identity primary key,
  at timestamptz not null,
  actor text not null check (btrim(actor) <> ''),
  category_id text not null,
  jurisdiction_id text not null,
  position_before text null,
  position_after text null,
  reason text null,
  check (position_before is distinct from position_after)
);

create index route_change_category_idx on officers.route_change (category_id, id desc);

-- The history is append-only: a change once recorded is never rewritten or removed.
create function officers.route_change_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'officers.route_change is append-only (% refused)', tg_op;
end
$$;

create trigger route_change_append_only
  before update or delete on officers.route_change
  for each row execute function officers.route_change_append_only();
create trigger route_change_no_truncate
  before truncate on officers.route_change
  for each statement execute function officers.route_change_append_only();
