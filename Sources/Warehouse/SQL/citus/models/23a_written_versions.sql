-- written_versions (Citus): the versions the run's lookups can reach (as stored_versions),
-- as 23_product_versions left them, read from their shards once into a temporary table,
-- for the readers' lateral lookups, which Citus does not plan into a sharded table.
--
-- reads: product_versions, version_reach
-- writes: written_versions
create temp table written_versions on commit drop as
with reach as materialized (
  -- materialized: Citus sends it to the shards as one intermediate result
  select
    r.product_id,
    r.since
  from version_reach as r
)

select
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

alter table written_versions add primary key (product_id, valid_from);
analyze written_versions;
