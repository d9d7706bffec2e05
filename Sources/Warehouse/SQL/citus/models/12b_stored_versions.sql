-- stored_versions (Citus): the versions the run's lookups can reach, as the run finds them,
-- read from their shards once into a temporary table: for each touched or priced product,
-- the version in force at the earliest instant a reader looks up, and every later one.
-- Each lookup lands among them (the last version before a window, the version in force at
-- an order): versions are contiguous, so the one before an instant ends at or after it.
-- product_versions is sharded by product_id, and Citus plans no lateral or correlated
-- lookup from the run's temporary tables into a sharded table; the readers probe this
-- copy's key instead. 23_product_versions writes by key, so no row carries an address.
--
-- reads: product_versions, version_reach
-- writes: stored_versions
create temp table stored_versions on commit drop as
with reach as materialized (
  -- materialized: Citus sends it to the shards as one intermediate result
  select
    r.product_id,
    r.since
  from version_reach as r
)

select
  null::tid as row_id,
  h.product_id,
  h.price,
  h.category,
  h.is_deleted,
  h.valid_from,
  h.valid_to,
  h.event_id
from product_versions as h
inner join reach as r on h.product_id = r.product_id
where h.valid_to is null or h.valid_to >= r.since;

alter table stored_versions add primary key (product_id, valid_from);
analyze stored_versions;
