-- An officer grain counts the officer's disposals of the last 7 days when it activates: this keeps that read to the
-- officer's own recent closures.
create index grievance_officer_closed_idx on grievances.grievance (officer_id, closed_at) where closed_at is not null;
