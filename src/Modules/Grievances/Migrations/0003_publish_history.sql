-- Grievances stored before grievance events existed: publish their timelines once, so that a subscriber added
-- later still reads every grievance's history from the beginning. The position, department and category at the
-- time were not recorded then, so those fields are null in these events (the officer and level were).
with history as (
    select gen_random_uuid() as id, e.*, g.kind, g.jurisdiction_id,
           row_number() over (order by e.reference_number, e.seq) as rn
    from grievances.timeline_event e
    join grievances.grievance g using (reference_number)
), n as (
    select count(*) as count from history
), head as (
    update events.log_head set last_position = last_position + n.count from n where n.count > 0
    returning last_position - n.count as first_position
)
insert into events.event_log (position, event_id, stream, stream_key, stream_seq, type, occurred_at, payload)
select head.first_position + t.rn, t.id, 'grievance', t.reference_number, t.seq, t.type, t.at,
       jsonb_build_object(
           'eventId', t.id, 'type', t.type, 'referenceNumber', t.reference_number, 'sequence', t.seq, 'at', t.at,
           'actor', t.actor, 'note', t.note, 'kind', t.kind, 'officerId', t.officer_id, 'positionId', null,
           'level', t.level, 'departmentId', null, 'categoryId', null, 'jurisdictionId', t.jurisdiction_id, 'dueAt', t.due_at)::json
from history t cross join head
order by t.rn;
