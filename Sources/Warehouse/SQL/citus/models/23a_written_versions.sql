-- written_versions (Citus): the touched products' versions as 23_product_versions left them,
-- read from their shards once into a temporary table (as stored_versions), for the readers'
-- lateral and correlated lookups, which Citus does not plan into a sharded table.
--
-- reads: product_versions, touched_windows, affected_lines
-- writes: written_versions
create temp table written_versions on commit drop as
select
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

alter table written_versions add primary key (product_id, valid_from);
analyze written_versions;
