-- Who may do what beyond their token: limits an administrator set on a subject after its tokens were issued.
create table access.subject_limit (
    subject               text        primary key,
    -- Null: no limit of that kind beyond the token's own.
    department_ids        text[],
    jurisdiction_ids      text[],
    -- Tokens of the subject issued before this instant are refused.
    tokens_revoked_before timestamptz,
    changed_at            timestamptz not null,
    changed_by            text        not null
);

-- Every unmasked name or mobile shown to anyone: who, which grievance, which field, when. Rows are only ever added.
create table access.personal_data_read (
    id               bigint generated always as identity primary key,
    at               timestamptz not null,
    subject          text        not null,
    role             text        not null,
    token_id         text,
    reference_number text        not null,
    field            text        not null,
    operation        text
);

create index personal_data_read_reference_idx on access.personal_data_read (reference_number, id);
create index personal_data_read_subject_idx on access.personal_data_read (subject, id);

create function access.refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'the access log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end $$;

create trigger personal_data_read_append_only before update or delete on access.personal_data_read
    for each row execute function access.refuse_change();
create trigger personal_data_read_no_truncate before truncate on access.personal_data_read
    for each statement execute function access.refuse_change();
