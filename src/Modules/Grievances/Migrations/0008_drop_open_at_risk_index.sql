-- Issue 17: every query that bounds at_risk_at also asks for what grievance_open_at_risk_count_idx holds (open, clock
-- running, not breached at the top, due after the warning), so the planner reads that smaller index and this one was
-- only written: every registration and every change of an open grievance added an entry to it.
drop index grievances.grievance_open_at_risk_idx;
