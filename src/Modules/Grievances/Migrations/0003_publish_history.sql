-- Grievances stored before grievance events existed: publish their timelines once, so that a subscriber added
-- later still reads every grievance's history from the beginning. The position, department and category at the
-- time were not recorded then, so those fields are null in these events (the officer and level were).
insert into events.event_log (event_id, stream, stream_key, stream_seq, type, occurred_at, payload)
select t.id, 'grievance', t.reference_number, t.seq, t.type, t.at,
       jsonb_build_object(
           'eventId', t.id, 'type', t.type, 'referenceNumber', t.reference_number, 'sequence', t.seq, 'at', t.at,
           'actor', t.actor, 'note', t.note, 'kind', g.kind, 'officerId', t.officer_id, 'positionId', null,
           'level', t.level, 'departmentId', null, 'categoryId', null, 'jurisdictionId', g.jurisdiction_id, 'dueAt', t.due_at)::json
from (select gen_random_uuid() as id, e.* from grievances.timeline_event e) t
join grievances.grievance g using (reference_number)
order by t.reference_number, t.seq
on conflict do nothing;
