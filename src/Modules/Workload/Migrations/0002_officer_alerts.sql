-- Officers' alerts (at risk, subordinate at risk, escalated to you), derived from grievance events by the subscriber
-- workload.alerts in the batch's transaction. One event tells an officer one kind of thing once: a redelivered event
-- meets its rows and adds nothing.
create table workload.officer_alert (
    id               bigint generated always as identity primary key,
    officer_id       text        not null,
    at               timestamptz not null,
    reference_number text        not null,
    kind             text        not null,
    message          text        not null,
    event_id         uuid        not null,
    unique (event_id, officer_id, kind)
);

create index officer_alert_officer_at_idx on workload.officer_alert (officer_id, at desc, id desc);

-- The retention sweep deletes by age across all officers.
create index officer_alert_at_idx on workload.officer_alert (at);
