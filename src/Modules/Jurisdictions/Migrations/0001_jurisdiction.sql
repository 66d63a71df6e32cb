-- The jurisdiction tree: Uttar Pradesh (state, divisions, districts, tehsils, blocks, urban local bodies)
-- and imported roots such as cities. Written by the reference-data loader and by IJurisdictionRegistry.
create table jurisdictions.jurisdiction (
  id text primary key,
  name text not null check (btrim(name) <> ''),
  kind text not null check (kind in ('State', 'Division', 'District', 'Tehsil', 'Block', 'UrbanLocalBody', 'Village', 'City', 'Area')),
  parent_id text null references jurisdictions.jurisdiction (id) deferrable initially deferred,
  lgd_code text null,
  -- Ids from the root down to this node (inclusive): path[1] is the root, path[array_length(path, 1)] = id.
  path text[] not null check (path[array_length(path, 1)] = id),
  updated_at timestamptz not null default now(),
  check (parent_id is distinct from id)
);

create index jurisdiction_parent_idx on jurisdictions.jurisdiction (parent_id);
create index jurisdiction_path_idx on jurisdictions.jurisdiction using gin (path);
create index jurisdiction_kind_lgd_idx on jurisdictions.jurisdiction (kind, lgd_code) where lgd_code is not null;
