-- Issue 18, the agent desk: the caller's history and month by mobile, possible duplicates by place and category, and
-- the extra complaints supervisors allow past the limit per mobile.

-- A caller's grievances newest first (callerHistory's page, and this month's complaints) are one range of this index;
-- it also answers every equality lookup the mobile index answered, so that one goes (one index less per write).
create index grievance_mobile_registered_idx on grievances.grievance (complainant_mobile, registered_at desc, reference_number desc);
drop index grievances.grievance_mobile_idx;

-- Open grievances of one category in one jurisdiction, newest first (possible duplicates of the same place and
-- category): only open rows are in it, so disposals leave it and it stays small.
create index grievance_open_place_category_idx on grievances.grievance (category_id, jurisdiction_id, registered_at desc, reference_number desc)
    where status = 'Open';

-- One row per extra complaint a supervisor allowed a mobile for a month (IST, yyyy-MM); the client request id makes a
-- retried grant one grant.
create table grievances.complaint_limit_override (
    client_request_id text        primary key,
    mobile            text        not null,
    month             text        not null,
    supervisor_id     text        not null,
    at                timestamptz not null,
    reason            text        not null
);

create index complaint_limit_override_mobile_idx on grievances.complaint_limit_override (mobile, month);
