-- Orleans ADO.NET providers (clustering, grain storage, reminders) on PostgreSQL 15, written for Helpline
-- against the providers' contract (/work/shared/NOTES-orleans-adonet.md); no SQL shipped by Orleans is used.
--
-- The providers read their SQL from the table orleansquery, unqualified: their connection string carries
-- "Search Path=orleans". The query texts themselves qualify every table, so they work whatever the search path.
-- Parameters are bound by name (@Name); Npgsql rewrites them to $n. Never put a placeholder inside a string.
-- Every query text is a single statement (data-modifying CTEs), so each call is atomic on its own.

create table orleans.orleansquery (
    querykey  varchar(64) primary key,
    querytext text        not null
);

---------------------------------------------------------------------------------------------------------------
-- Clustering
---------------------------------------------------------------------------------------------------------------

-- One version row per cluster (DeploymentId = ClusterOptions.ClusterId). Version starts at 0 and grows by
-- exactly 1 per successful insert or update of a member row. Deleting it deletes the cluster's members.
create table orleans.membership_version (
    deployment_id text        primary key,
    version       integer     not null default 0,
    changed_at    timestamptz not null default now()
);

create table orleans.membership (
    deployment_id   text        not null references orleans.membership_version (deployment_id) on delete cascade,
    address         text        not null,
    port            integer     not null,
    generation      integer     not null,
    silo_name       text        not null,
    host_name       text        not null,
    status          integer     not null,
    proxy_port      integer     not null,
    suspect_times   text,
    start_time      timestamptz not null,
    i_am_alive_time timestamptz not null,
    primary key (deployment_id, address, port, generation)
);

---------------------------------------------------------------------------------------------------------------
-- Grain storage
---------------------------------------------------------------------------------------------------------------

-- Identity = service + state name + key decomposition (N0, N1, extension). A NULL extension equals a NULL
-- extension (NULLS NOT DISTINCT), so two concurrent first writes cannot both insert: the loser hits the
-- constraint, does nothing and reports a version conflict. The provider's hashes are not stored: lookups use
-- this constraint's index (every identity column is matched by equality or IS NULL).
create table orleans.grain_state (
    service_id            text        not null,
    state_name            text        not null,
    grain_id_n0           bigint      not null,
    grain_id_n1           bigint      not null,
    grain_id_extension    text,
    payload_binary        bytea,
    version               integer     not null,
    modified_at           timestamptz not null default now(),
    constraint grain_state_identity
        unique nulls not distinct (grain_id_n1, grain_id_extension, grain_id_n0, state_name, service_id)
);

-- State names whose writes are journaled into projection_outbox (see below).
create table orleans.projected_state (
    state_name text primary key
);

insert into orleans.projected_state (state_name) values ('grievance');

-- Projection journal. The grain storage write of a projected state upserts a row here in the same statement
-- (so in the same transaction) as the state itself. The read model acknowledges it (deletes the row, version
-- <= its own) in the transaction that writes the projection; rows left unacknowledged mean the process died
-- between the two writes, and a healer re-projects those grains.
create table orleans.projection_outbox (
    state_name text        not null,
    grain_key  text        not null,
    version    integer     not null,
    written_at timestamptz not null default now(),
    primary key (state_name, grain_key)
);

create index projection_outbox_written_idx on orleans.projection_outbox (state_name, written_at);

-- The grain key as text, from the provider's key decomposition. Must match ProjectionOutbox.GrainKeyOf (C#).
--   N0 = 0, N1 = 0, extension set  -> a string key: the extension is the whole key
--   N0 = 0 otherwise               -> an integer key: N1 in decimal, then '+extension' when there is one
--   anything else                  -> a Guid key: 32 lower-case hex digits (Guid "N" format), then '+extension'
-- The provider stores Guid bytes 0-7 and 8-15 as little-endian int64; int8send yields big-endian bytes.
create function orleans.grain_key(n0 bigint, n1 bigint, ext text) returns text
language sql immutable parallel safe
return case
    when n0 = 0 and n1 = 0 and ext is not null then ext
    when n0 = 0 then n1::text || coalesce('+' || ext, '')
    else substr(encode(int8send(n0), 'hex'), 9, 8)
      || substr(encode(int8send(n0), 'hex'), 5, 4)
      || substr(encode(int8send(n0), 'hex'), 1, 4)
      || substr(encode(int8send(n1), 'hex'), 15, 2) || substr(encode(int8send(n1), 'hex'), 13, 2)
      || substr(encode(int8send(n1), 'hex'), 11, 2) || substr(encode(int8send(n1), 'hex'), 9, 2)
      || substr(encode(int8send(n1), 'hex'), 7, 2) || substr(encode(int8send(n1), 'hex'), 5, 2)
      || substr(encode(int8send(n1), 'hex'), 3, 2) || substr(encode(int8send(n1), 'hex'), 1, 2)
      || coalesce('+' || ext, '')
end;

---------------------------------------------------------------------------------------------------------------
-- Reminders
---------------------------------------------------------------------------------------------------------------

-- Versions come from one sequence, so a reminder deleted and registered again never reuses an old ETag.
create sequence orleans.reminder_version as integer cycle;

create table orleans.reminder (
    service_id    text        not null,
    grain_id      text        not null,
    reminder_name text        not null,
    start_time    timestamptz not null,
    period        bigint      not null,
    grain_hash    integer     not null,
    version       integer     not null,
    primary key (service_id, grain_id, reminder_name)
);

create index reminder_hash_idx on orleans.reminder (service_id, grain_hash);

---------------------------------------------------------------------------------------------------------------
-- Query texts
---------------------------------------------------------------------------------------------------------------

insert into orleans.orleansquery (querykey, querytext) values

-- Clustering ------------------------------------------------------------------------------------------------

('InsertMembershipVersionKey', '
with created as (
    insert into orleans.membership_version (deployment_id, version)
    values (@DeploymentId, 0)
    on conflict (deployment_id) do nothing
    returning 1
)
select exists (select 1 from created)'),

('MembershipReadAllKey', '
select m.address, m.port, m.generation, m.silo_name as siloname, m.host_name as hostname, m.status,
       m.proxy_port as proxyport, m.suspect_times as suspecttimes, m.start_time as starttime,
       m.i_am_alive_time as iamalivetime, v.version
from orleans.membership_version v
left join orleans.membership m on m.deployment_id = v.deployment_id
where v.deployment_id = @DeploymentId'),

('MembershipReadRowKey', '
select m.address, m.port, m.generation, m.silo_name as siloname, m.host_name as hostname, m.status,
       m.proxy_port as proxyport, m.suspect_times as suspecttimes, m.start_time as starttime,
       m.i_am_alive_time as iamalivetime, v.version
from orleans.membership_version v
left join orleans.membership m
       on m.deployment_id = v.deployment_id and m.address = @Address and m.port = @Port and m.generation = @Generation
where v.deployment_id = @DeploymentId'),

-- The version row is locked by the conditional update; a competitor carrying the same @Version waits, then
-- re-checks the version and matches nothing.
('InsertMembershipKey', '
with bumped as (
    update orleans.membership_version
    set version = version + 1, changed_at = now()
    where deployment_id = @DeploymentId and version = @Version
      and not exists (select 1 from orleans.membership
                      where deployment_id = @DeploymentId and address = @Address and port = @Port and generation = @Generation)
    returning deployment_id
), inserted as (
    insert into orleans.membership (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port,
                                    start_time, i_am_alive_time)
    select deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
    from bumped
    on conflict do nothing
    returning 1
)
select exists (select 1 from inserted)'),

('UpdateMembershipKey', '
with bumped as (
    update orleans.membership_version
    set version = version + 1, changed_at = now()
    where deployment_id = @DeploymentId and version = @Version
      and exists (select 1 from orleans.membership
                  where deployment_id = @DeploymentId and address = @Address and port = @Port and generation = @Generation)
    returning deployment_id
), updated as (
    update orleans.membership m
    set status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
    from bumped
    where m.deployment_id = bumped.deployment_id and m.address = @Address and m.port = @Port and m.generation = @Generation
    returning 1
)
select exists (select 1 from updated)'),

('UpdateIAmAlivetimeKey', '
update orleans.membership
set i_am_alive_time = @IAmAliveTime
where deployment_id = @DeploymentId and address = @Address and port = @Port and generation = @Generation'),

('GatewaysQueryKey', '
select address, proxy_port as proxyport, generation
from orleans.membership
where deployment_id = @DeploymentId and status = @Status and proxy_port > 0'),

('DeleteMembershipTableEntriesKey', '
delete from orleans.membership_version where deployment_id = @DeploymentId'),

('CleanupDefunctSiloEntriesKey', '
delete from orleans.membership
where deployment_id = @DeploymentId and i_am_alive_time < @IAmAliveTime and status <> 3'),

-- Optional in 10.4.2 and preferred over the key above when present: the provider reads the table, picks Dead rows
-- older than the cut-off, and deletes each one only if it still holds the values it read (so a row that changed
-- in between survives). SuspectTimes comes back re-serialized from the parsed list, NULL when there were none.
('CleanupDefunctSiloEntryKey', '
delete from orleans.membership
where deployment_id = @DeploymentId and address = @Address and port = @Port and generation = @Generation
  and status = 6 and start_time = @StartTime and i_am_alive_time = @IAmAliveTime
  and coalesce(suspect_times, '''') = coalesce(@SuspectTimes, '''')'),

-- Grain storage -------------------------------------------------------------------------------------------------
-- The extension is matched as "= @x or (@x is null and column is null)": with the values known at planning time
-- this folds to "= @x" or "is null", both of which use the identity index (IS NOT DISTINCT FROM would not).

('ReadFromStorageKey', '
select payload_binary as payloadbinary, version
from orleans.grain_state
where grain_id_n1 = @GrainIdN1 and grain_id_n0 = @GrainIdN0
  and (grain_id_extension = @GrainIdExtensionString or (@GrainIdExtensionString is null and grain_id_extension is null))
  and state_name = @GrainTypeString and service_id = @ServiceId'),

-- @GrainStateVersion null: insert version 1 unless the record exists. Otherwise: replace the payload if the
-- stored version matches. Exactly one row comes back; NULL means a conflict. A projected state also upserts
-- its projection_outbox row, in the same statement.
('WriteToStorageKey', '
with updated as (
    update orleans.grain_state
    set payload_binary = @PayloadBinary, version = version + 1, modified_at = now()
    where @GrainStateVersion is not null
      and grain_id_n1 = @GrainIdN1 and grain_id_n0 = @GrainIdN0
      and (grain_id_extension = @GrainIdExtensionString or (@GrainIdExtensionString is null and grain_id_extension is null))
      and state_name = @GrainTypeString and service_id = @ServiceId
      and version = @GrainStateVersion
    returning version
), inserted as (
    insert into orleans.grain_state (service_id, state_name, grain_id_n0, grain_id_n1, grain_id_extension, payload_binary, version)
    select @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString, @PayloadBinary, 1
    where @GrainStateVersion is null
    on conflict on constraint grain_state_identity do nothing
    returning version
), written as (
    select version from updated
    union all
    select version from inserted
), journaled as (
    insert into orleans.projection_outbox (state_name, grain_key, version, written_at)
    select @GrainTypeString, orleans.grain_key(@GrainIdN0, @GrainIdN1, @GrainIdExtensionString), written.version, now()
    from written
    where exists (select 1 from orleans.projected_state where state_name = @GrainTypeString)
    on conflict (state_name, grain_key) do update set version = excluded.version, written_at = excluded.written_at
)
select (select version from written) as newgrainstateversion'),

-- Keeps the record with a NULL payload and a new version (journaled like a write); no row means a conflict.
('ClearStorageKey', '
with cleared as (
    update orleans.grain_state
    set payload_binary = null, version = version + 1, modified_at = now()
    where grain_id_n1 = @GrainIdN1 and grain_id_n0 = @GrainIdN0
      and (grain_id_extension = @GrainIdExtensionString or (@GrainIdExtensionString is null and grain_id_extension is null))
      and state_name = @GrainTypeString and service_id = @ServiceId
      and version = @GrainStateVersion
    returning version
), journaled as (
    insert into orleans.projection_outbox (state_name, grain_key, version, written_at)
    select @GrainTypeString, orleans.grain_key(@GrainIdN0, @GrainIdN1, @GrainIdExtensionString), cleared.version, now()
    from cleared
    where exists (select 1 from orleans.projected_state where state_name = @GrainTypeString)
    on conflict (state_name, grain_key) do update set version = excluded.version, written_at = excluded.written_at
)
select version from cleared'),

-- Only used with DeleteStateOnClear = true (Helpline does not set it). Returns the deleted version + 1.
('DeleteStorageKey', '
delete from orleans.grain_state
where grain_id_n1 = @GrainIdN1 and grain_id_n0 = @GrainIdN0
  and (grain_id_extension = @GrainIdExtensionString or (@GrainIdExtensionString is null and grain_id_extension is null))
  and state_name = @GrainTypeString and service_id = @ServiceId
  and version = @GrainStateVersion
returning version + 1'),

-- Reminders -----------------------------------------------------------------------------------------------------

('ReadReminderRowsKey', '
select grain_id as grainid, reminder_name as remindername, start_time as starttime, period, version
from orleans.reminder
where service_id = @ServiceId and grain_id = @GrainId'),

('ReadReminderRowKey', '
select grain_id as grainid, reminder_name as remindername, start_time as starttime, period, version
from orleans.reminder
where service_id = @ServiceId and grain_id = @GrainId and reminder_name = @ReminderName'),

('ReadRangeRows1Key', '
select grain_id as grainid, reminder_name as remindername, start_time as starttime, period, version
from orleans.reminder
where service_id = @ServiceId and grain_hash > @BeginHash and grain_hash <= @EndHash'),

('ReadRangeRows2Key', '
select grain_id as grainid, reminder_name as remindername, start_time as starttime, period, version
from orleans.reminder
where service_id = @ServiceId and (grain_hash > @BeginHash or grain_hash <= @EndHash)'),

('UpsertReminderRowKey', '
insert into orleans.reminder (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
values (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, nextval(''orleans.reminder_version''))
on conflict (service_id, grain_id, reminder_name) do update
set start_time = excluded.start_time, period = excluded.period, grain_hash = excluded.grain_hash, version = excluded.version
returning version'),

('DeleteReminderRowKey', '
with deleted as (
    delete from orleans.reminder
    where service_id = @ServiceId and grain_id = @GrainId and reminder_name = @ReminderName and version = @Version
    returning 1
)
select exists (select 1 from deleted)'),

('DeleteReminderRowsKey', '
delete from orleans.reminder where service_id = @ServiceId');
