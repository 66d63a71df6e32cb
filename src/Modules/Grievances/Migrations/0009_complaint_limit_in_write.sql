-- Issue 17: the limit of complaints per mobile a month is checked inside the transaction that writes a new complaint,
-- instead of by a query of its own before the registration: one round trip and one grain call less a complaint. The
-- count sees every complaint committed before it and those written earlier in the same transaction (a batch of
-- registrations gathered into one commit), so two complaints of one mobile in one batch count each other.
-- Over the limit it raises SQLSTATE HL429, and nothing of the transaction commits. The message carries the month's
-- complaints and the extra ones allowed for the caller's answer ('... <n> complaints, <m> extra allowed'): the
-- client library withholds an error's detail, which may hold personal data.
create function grievances.require_complaint_under_limit(
    p_mobile text, p_month text, p_from timestamptz, p_before timestamptz, p_limit integer)
returns void
language plpgsql
as $$
declare
    complaints integer;
    extra integer;
begin
    select count(*) into complaints from grievances.grievance
    where complainant_mobile = p_mobile and kind = 'Complaint' and registered_at >= p_from and registered_at < p_before;
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
