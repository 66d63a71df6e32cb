-- Issue 16, part 5: lists sorted by last change and filtered by the instant of the final close, and exact counts that
-- stay fast at 10,000,000 grievances.

-- The instant of the grievance's latest timeline event (its last change), and of its close after the call-back
-- (status Closed; closed_at stays the officer's disposal instant).
alter table grievances.grievance
    add column last_changed_at timestamptz,
    add column final_closed_at timestamptz;

update grievances.grievance g
set last_changed_at = t.last_at, final_closed_at = case when g.status = 'Closed' then t.closed_at end
from (select reference_number, max(at) as last_at, max(at) filter (where type = 'Closed') as closed_at
      from grievances.timeline_event group by reference_number) t
where t.reference_number = g.reference_number;
update grievances.grievance set last_changed_at = registered_at where last_changed_at is null;
alter table grievances.grievance alter column last_changed_at set not null;

-- Orders: a grievance without a due date sorts as if due at the end of time. Both directions read one index backwards
-- or forwards, ties broken by reference number.
create index grievance_due_order_idx on grievances.grievance ((coalesce(due_at, 'infinity'::timestamptz)), reference_number);
-- Open grievances by due date, soonest first, is the list an office works from: without this index it would first
-- pass over every disposed grievance (whose due dates are long past).
create index grievance_open_due_order_idx on grievances.grievance ((coalesce(due_at, 'infinity'::timestamptz)), reference_number)
    where status = 'Open';
-- A department's open grievances, newest first (a department portal's working list, often within one district): the
-- department's index would first pass over its disposed ones, and a bitmap of place, department and status over
-- hundreds of thousands of rows takes a second at 10,000,000.
create index grievance_open_department_idx on grievances.grievance (department_id, registered_at desc, reference_number desc)
    where status = 'Open';
create index grievance_changed_idx on grievances.grievance (last_changed_at desc, reference_number desc);
-- Instant filters on disposal and close: only disposed rows are in them, so registrations never write to them.
create index grievance_disposed_idx on grievances.grievance (closed_at) where closed_at is not null;
create index grievance_final_closed_idx on grievances.grievance (final_closed_at) where final_closed_at is not null;

-- Overdue and at risk depend on the clock, so no stored count can hold them. Instead each is one range of a partial
-- index holding only rows that can be in it, with the department and places included so that a dashboard counts
-- them per department and place from the index alone: overdue rows are open ones whose clock runs past due (few: an
-- overdue grievance escalates), at-risk rows are open ones past their warning and not yet escalated away.
create index grievance_open_overdue_idx on grievances.grievance (due_at) include (department_id, jurisdiction_path)
    where status = 'Open' and on_hold_since is null;
create index grievance_open_at_risk_count_idx on grievances.grievance (at_risk_at) include (department_id, jurisdiction_path)
    where status = 'Open' and on_hold_since is null and not breached_at_top and due_at > at_risk_at;

-- Exact counts without counting rows. grievance_count holds, for every jurisdiction on a grievance's path and for '*'
-- (everywhere), the number of grievances per department, status, level and hold: a state-wide or district total is
-- then a sum of at most a few thousand rows instead of a count of millions.
--
-- Writers never update those rows directly: every registration would then lock the same '*' and district rows until
-- its transaction commits, serialising the projection's concurrent writers (and risking deadlocks between batches
-- that touch the rows in different orders). Instead a trigger appends a +1/-1 row to grievance_count_delta (an
-- insert-only table: no row is ever contended), and a job folds the deltas into grievance_count every few seconds.
-- A reader sums both, so its answer is exact at its snapshot whether or not the fold has run.
create table grievances.grievance_count (
    node          text    not null,
    department_id text    not null,
    status        text    not null,
    level         int     not null,
    on_hold       boolean not null,
    n             bigint  not null,
    primary key (node, department_id, status, level, on_hold)
);

create table grievances.grievance_count_delta (
    jurisdiction_path text[]  not null,
    department_id     text    not null,
    status            text    not null,
    level             int     not null,
    on_hold           boolean not null,
    n                 int     not null
);

create function grievances.grievance_count_change() returns trigger language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        insert into grievances.grievance_count_delta
        values (old.jurisdiction_path, old.department_id, old.status, old.level, old.status = 'Open' and old.on_hold_since is not null, -1);
    end if;
    if tg_op in ('UPDATE', 'INSERT') then
        insert into grievances.grievance_count_delta
        values (new.jurisdiction_path, new.department_id, new.status, new.level, new.status = 'Open' and new.on_hold_since is not null, 1);
    end if;
    return null;
end
$$;

create trigger grievance_count_insert_delete after insert or delete on grievances.grievance
    for each row execute function grievances.grievance_count_change();
-- Most updates (a due date, an at-risk warning, a timeline entry) change none of the counted columns: no delta.
create trigger grievance_count_update after update on grievances.grievance
    for each row
    when ((old.jurisdiction_path, old.department_id, old.status, old.level, old.status = 'Open' and old.on_hold_since is not null)
          is distinct from (new.jurisdiction_path, new.department_id, new.status, new.level, new.status = 'Open' and new.on_hold_since is not null))
    execute function grievances.grievance_count_change();

-- Grouped by path first (tens of thousands of groups), then spread over each path's places: one pass over the rows.
insert into grievances.grievance_count (node, department_id, status, level, on_hold, n)
select node, department_id, status, level, on_hold, sum(n)
from (select jurisdiction_path, department_id, status, level, status = 'Open' and on_hold_since is not null as on_hold, count(*) as n
      from grievances.grievance group by 1, 2, 3, 4, 5) g
cross join lateral unnest(g.jurisdiction_path || '*'::text) as node
group by 1, 2, 3, 4, 5;
