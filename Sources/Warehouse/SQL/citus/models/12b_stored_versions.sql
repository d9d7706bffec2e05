-- stored_versions (Citus): the touched products' versions as the run finds them, read from
-- their shards once into a temporary table. product_versions is sharded by product_id, and
-- Citus plans no lateral or correlated lookup from the run's temporary tables into a
-- sharded table; the readers probe this copy's key instead. 23_product_versions writes by
-- key, so no row carries an address.
--
-- reads: product_versions, touched_windows, affected_lines
-- writes: stored_versions
create temp table stored_versions on commit drop as
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
where
  h.product_id in (
    select t.product_id from touched_windows as t
    union all
    select a.product_id from affected_lines as a
  );

alter table stored_versions add primary key (product_id, valid_from);
analyze stored_versions;
