-- A mobile's complaints in a month, as the limit counts them (0009) and as the agent's desk shows them (callerMonth):
-- one definition, so that what the desk says remains is what the limit allows. A migration of its own, since 0009 has
-- run where it was committed; the limit's function is replaced to call this one (and both are replaced, not created,
-- where an earlier draft of 0009 made them).
create or replace function grievances.month_complaints(p_mobile text, p_from timestamptz, p_before timestamptz)
returns integer
language plpgsql
stable
as $$
begin
    return (select count(*) from grievances.grievance
            where complainant_mobile = p_mobile and kind = 'Complaint' and registered_at >= p_from and registered_at < p_before);
end
$$;

create or replace function grievances.require_complaint_under_limit(
    p_mobile text, p_month text, p_from timestamptz, p_before timestamptz, p_limit integer)
returns void
language plpgsql
as $$
declare
    complaints integer;
    extra integer;
begin
    complaints := grievances.month_complaints(p_mobile, p_from, p_before);
    if complaints < p_limit then
        return;
    end if;

    -- The extra complaints supervisors allowed are read only once the limit itself is reached, which is rare.
    select count(*) into extra from grievances.complaint_limit_override where mobile = p_mobile and month = p_month;
    if complaints >= p_limit + extra then
        raise exception 'monthly complaint limit reached: % complaints, % extra allowed', complaints, extra using errcode = 'HL429';
    end if;
end
$$;
