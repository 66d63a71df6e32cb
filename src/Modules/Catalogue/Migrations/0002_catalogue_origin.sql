-- Where a department or category row comes from. 'shipped' rows (the default, so every row loaded so far) belong to
-- CatalogueLoader, which keeps them in line with the files shipped in the assembly. 'import' rows are written at run
-- time by ICatalogueRegistry (the departments and categories of an imported source such as Boston 311); the loader
-- never changes or deletes them, and the registry never writes a row of another origin.
-- A department's seats (catalogue.department_seats) follow their department's origin.
alter table catalogue.departments add column origin text not null default 'shipped' check (origin ~ '^[a-z]+$');
alter table catalogue.categories add column origin text not null default 'shipped' check (origin ~ '^[a-z]+$');
