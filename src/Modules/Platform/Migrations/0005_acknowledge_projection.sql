-- An acknowledgement deletes one outbox row by its key, but the table is a queue: a row per change, deleted moments
-- later, so between vacuums it is mostly dead rows, and a vacuum or analyze finds a handful alive. The planner prices
-- an index by its size in proportion to the few live rows, so from those figures it read the whole table instead (or
-- the whole written_at index, which is smaller than the key's): in throughput-bench an acknowledgement read 75 to 91
-- buffers (322 heap pages for 112 live rows) and cost 0.18 to 0.42 ms, where the key's index reads 3. Which plan a
-- session got depended on when statistics were last taken, so runs went between about 2,000 and about 1,000
-- registrations a second. No cost setting fixes a queue's statistics, so:
-- - the acknowledgement is a function that plans without sequential scans, and
-- - the written_at index goes, leaving the key's index the only one there is. Only the healer asked by written_at,
--   once a minute; reading the queue's live rows whole is cheap, and every change now writes one index entry fewer.
drop index if exists orleans.projection_outbox_written_idx;

create function orleans.acknowledge_projection(p_state_name text, p_grain_key text, p_version integer)
returns boolean
language plpgsql
set enable_seqscan = off
as $$
begin
    delete from orleans.projection_outbox
    where state_name = p_state_name and grain_key = p_grain_key and version <= p_version;
    return found;
end
$$;
