-- Each change to a category's SLA policy gets the next version number of that category, stored with the change;
-- the policy-changed event carries it, so changes of one category are numbered and delivered in order.
create table sla.policy_versions (
    category_id text    primary key,
    version     integer not null
);
