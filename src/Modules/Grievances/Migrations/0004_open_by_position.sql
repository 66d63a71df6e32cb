-- Handovers find a position's open grievances held by someone other than its new holder, and the holder sweep counts
-- open grievances by (position, officer): both read this index alone.
create index grievance_open_position_idx on grievances.grievance (position_id, officer_id) where status = 'Open';
