-- SLA engine: the at-risk instant, whether its warning was given, and the hold, per grievance.
alter table grievances.grievance
    add column at_risk_at timestamptz,
    add column at_risk_announced boolean not null default false,
    add column on_hold_since timestamptz;

create index grievance_open_at_risk_idx on grievances.grievance (at_risk_at) where status = 'Open';
