-- Categories changed live by an administrator (issue 12).
-- A category's state in force at an instant is its base row here (shipped or imported), overlaid by the latest
-- administrative change whose effective instant has come. Each change row holds the FULL state after it (after) and
-- the state it replaced (before; null for an add), so history reads back without replaying anything, and the loader of
-- the shipped files, which writes base rows only, can never overwrite what an administrator decided.
-- A category added by an administrator gets a base row of origin 'admin' (ids stay unique across origins, and the
-- loader never touches a row of another origin); it does not exist before its add's effective instant.

alter table catalogue.categories add column name_hindi text null;
alter table catalogue.categories add column keywords text[] not null default '{}';

create table catalogue.category_change (
  id           bigint      generated always as identity primary key,
  category_id  text        not null references catalogue.categories (id),
  kind         text        not null check (kind in ('add', 'rename', 'retire', 'remap')),
  effective_at timestamptz not null,
  recorded_at  timestamptz not null,
  actor        text        not null check (btrim(actor) <> ''),
  reason       text        null,
  before       jsonb       null,
  after        jsonb       not null,
  check ((kind = 'add') = (before is null))
);

-- History is linear per category: the store and the administration read a category's changes in effective order.
create index category_change_category_idx on catalogue.category_change (category_id, effective_at, id);
