-- A stored grain state had two indexes: the identity constraint (n1, extension, n0, state, service) and the lookup
-- index on coalesce(extension, '') of 0002. The statements match coalesce(extension, ''), which only the lookup index
-- serves in full; on the identity index they are bounded by n1 alone, and n1 is 0 for every string key. Sessions
-- that planned while the table was new still chose it, and kept that plan as the table grew: in throughput-bench
-- a new grievance's state read averaged 146 buffers and 0.175 ms instead of 2 buffers (auto_explain showed the
-- plan, "Rows Removed by Filter: 116" at a hundred rows). One unique index on the statements' own expression leaves
-- no other plan, and every new state writes one index entry instead of two.
-- A NULL and an empty extension are now one key: a grain type's keys either all have an extension (string keys) or
-- none do, and the state name, which is the grain type, is part of the key.
create unique index grain_state_key
    on orleans.grain_state (coalesce(grain_id_extension, ''), grain_id_n1, grain_id_n0, state_name, service_id);

alter table orleans.grain_state drop constraint grain_state_identity;
drop index orleans.grain_state_lookup_idx;

update orleans.orleansquery
set querytext = replace(querytext,
    'on conflict on constraint grain_state_identity do nothing',
    'on conflict ((coalesce(grain_id_extension, '''')), grain_id_n1, grain_id_n0, state_name, service_id) do nothing')
where querykey = 'WriteToStorageKey';

do $$
begin
    if exists (select 1 from orleans.orleansquery where querytext like '%grain_state_identity%') then
        raise exception 'a storage statement still names grain_state_identity';
    end if;
end
$$;
