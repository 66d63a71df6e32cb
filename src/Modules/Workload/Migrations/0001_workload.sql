-- The Workload module's schema. Its tables are added by the migrations that follow.
select 1;
