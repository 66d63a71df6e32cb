-- The web console's schema: only the ASP.NET Core data-protection key ring, kept here so that every silo of the
-- cluster decrypts the sign-in cookies and antiforgery tokens that any other silo issued.
create table console.data_protection_key (
    friendly_name text        primary key,
    xml           text        not null,
    created_at    timestamptz not null default now()
);
