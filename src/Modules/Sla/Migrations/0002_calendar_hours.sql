-- Calendar hours (round the clock, for emergencies) join the units an override may use; hours, working or calendar,
-- go up to 8760. The checks of 0001 were unnamed, so they are found by what they check.
do $$
declare c record;
begin
  for c in
    select con.conname
    from pg_constraint con
    where con.conrelid = 'sla.policy_overrides'::regclass and con.contype = 'c'
      and (pg_get_constraintdef(con.oid) like '%unit%')
  loop
    execute format('alter table sla.policy_overrides drop constraint %I', c.conname);
  end loop;
end $$;

alter table sla.policy_overrides
  add constraint policy_overrides_unit_known check (unit in ('CalendarDays', 'WorkingDays', 'WorkingHours', 'CalendarHours')),
  add constraint policy_overrides_amount_in_range check (
    amount >= 1 and amount <= case when unit in ('WorkingHours', 'CalendarHours') then 8760 else 365 end);

-- A closing time of 24:00:00 (PostgreSQL's time allows it) is a calendar that closes at midnight at the end of the day;
-- the existing check (opening < closing) already accepts it.
