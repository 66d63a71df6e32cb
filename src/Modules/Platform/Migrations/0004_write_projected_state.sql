-- A projected grain's state written inside the transaction that writes its read model, instead of in a transaction of
-- its own through the storage provider: one commit and one round trip a change instead of two each. The row, the
-- version check and the outbox entry are those of WriteToStorageKey (0002, 0003), for a string-keyed grain (N0 = N1
-- = 0, the key in the extension). A version that does not match raises SQLSTATE HL409, so that nothing else in the
-- transaction commits and the caller can tell the conflict from any other error.
create function orleans.write_projected_state(
    p_service_id text, p_state_name text, p_grain_key text, p_payload bytea, p_expected integer)
returns integer
language plpgsql
as $$
declare
    written integer;
begin
    if p_expected is null then
        insert into orleans.grain_state (service_id, state_name, grain_id_n0, grain_id_n1, grain_id_extension, payload_binary, version)
        values (p_service_id, p_state_name, 0, 0, p_grain_key, p_payload, 1)
        on conflict ((coalesce(grain_id_extension, '')), grain_id_n1, grain_id_n0, state_name, service_id) do nothing
        returning version into written;
    else
        update orleans.grain_state
        set payload_binary = p_payload, version = version + 1, modified_at = now()
        where coalesce(grain_id_extension, '') = p_grain_key and grain_id_n1 = 0 and grain_id_n0 = 0
          and state_name = p_state_name and service_id = p_service_id and version = p_expected
        returning version into written;
    end if;

    if written is null then
        raise exception 'the stored % state of % is not at version %', p_state_name, p_grain_key, coalesce(p_expected::text, 'none')
            using errcode = 'HL409';
    end if;

    insert into orleans.projection_outbox (state_name, grain_key, version, written_at)
    values (p_state_name, p_grain_key, written, now())
    on conflict (state_name, grain_key) do update set version = excluded.version, written_at = excluded.written_at;

    return written;
end
$$;
