-- Persisted documents: a subject's registered GraphQL documents, sent afterwards by id alone (sha256:<hex>).
create table access.persisted_document (
    subject       text        not null,
    id            text        not null,
    document      text        not null,
    registered_at timestamptz not null,
    registered_by text        not null,
    primary key (subject, id)
);

-- A subject set to send persisted documents only: free text from it is refused (PERSISTED_DOCUMENTS_ONLY).
alter table access.subject_limit add column persisted_documents_only boolean not null default false;
