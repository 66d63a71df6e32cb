-- Pools (issue 13): a seat several officers hold at once, each taking up to a capacity of open grievances.
-- pool_capacity null: a single seat (one holder); set: a pool whose members each take that many unless the officer
-- has their own capacity.
alter table officers.position add column pool_capacity integer null check (pool_capacity between 1 and 10000);
alter table officers.officer add column capacity integer null check (capacity between 1 and 10000);

-- A pool has many officers posted, so the one-holder constraint goes. "One holder for a single seat" is kept by the
-- posting administration (it locks the position row before it checks) and, as a last line, by the deferred trigger
-- below. The unique constraint was also the index on position_id: replace it.
alter table officers.officer drop constraint officer_position_key;
create index officer_position_idx on officers.officer (position_id) where position_id is not null;

create function officers.check_single_seat(seat text) returns void language plpgsql as $$
begin
  if exists (select 1 from officers.position p where p.id = seat and p.pool_capacity is null)
     and (select count(*) from officers.officer o where o.position_id = seat) > 1 then
    raise exception 'position % is a single seat and has more than one officer posted', seat
      using errcode = 'unique_violation', constraint = 'single_seat_one_holder';
  end if;
end
$$;

create function officers.officer_single_seat_one_holder() returns trigger language plpgsql as $$
begin
  perform officers.check_single_seat(new.position_id);
  return null;
end
$$;

create function officers.position_single_seat_one_holder() returns trigger language plpgsql as $$
begin
  perform officers.check_single_seat(new.id);
  return null;
end
$$;

-- Checked at commit, so a transfer that empties and fills seats in any order inside one transaction passes.
create constraint trigger officer_single_seat_one_holder
  after insert or update of position_id on officers.officer
  deferrable initially deferred
  for each row when (new.position_id is not null)
  execute function officers.officer_single_seat_one_holder();

create constraint trigger position_single_seat_one_holder
  after update of pool_capacity on officers.position
  deferrable initially deferred
  for each row when (new.pool_capacity is null and old.pool_capacity is not null)
  execute function officers.position_single_seat_one_holder();

-- Every change of a seat's pool capacity or an officer's own capacity: who, when, before and after (null: a single
-- seat; an officer's null: the pool's). Append-only, like the routing map's history.
create table officers.pool_change (
  id bigint generated always as identity primary key,
  at timestamptz not null,
  actor text not null check (btrim(actor) <> ''),
  position_id text null references officers.position (id),
  officer_id text null references officers.officer (id),
  capacity_before integer null,
  capacity_after integer null,
  check ((position_id is null) <> (officer_id is null)),
  check (capacity_before is distinct from capacity_after)
);

create index pool_change_position_idx on officers.pool_change (position_id, id desc) where position_id is not null;
create index pool_change_officer_idx on officers.pool_change (officer_id, id desc) where officer_id is not null;

create function officers.pool_change_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'officers.pool_change is append-only (% refused)', tg_op;
end
$$;

create trigger pool_change_append_only
  before update or delete on officers.pool_change
  for each row execute function officers.pool_change_append_only();
create trigger pool_change_no_truncate
  before truncate on officers.pool_change
  for each statement execute function officers.pool_change_append_only();
