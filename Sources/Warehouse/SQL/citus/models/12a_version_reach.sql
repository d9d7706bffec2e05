-- version_reach (Citus): per touched or priced product, the earliest instant a reader of its
-- versions looks up: its windows' starts and the event times of its affected lines.
-- stored_versions and written_versions copy from the shards the version in force at that
-- instant and every later one, before and after 23_product_versions writes.
--
-- reads: touched_windows, affected_lines
-- writes: version_reach
create temp table version_reach on commit drop as
select
  l.product_id,
  min(l.since) as since
from (
  select t.product_id, t.since from touched_windows as t
  union all
  -- a line without a product looks up no version
  select a.product_id, a.event_time from affected_lines as a where a.product_id is not null
) as l
group by l.product_id;

alter table version_reach add primary key (product_id);
analyze version_reach;
