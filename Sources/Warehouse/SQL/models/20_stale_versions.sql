-- stale_versions: the stored versions inside a window that the rebuild does not reproduce,
-- with their rows' addresses (product_versions deletes them by address) and their prices
-- (the volatility mart knows from them whether a product lost its lowest or highest price).
--
-- reads: touched_windows, stored_versions, rebuilt_versions
-- writes: stale_versions
create temp table stale_versions on commit drop as
-- the versions inside the windows, found first by the table's key (a fence: joined with the
-- rebuilt ones at once, the planner read every version)
with inside as materialized (
  select
    h.row_id,
    h.product_id,
    h.valid_from,
    h.price,
    h.category,
    h.is_deleted,
    h.event_id
  from touched_windows as t
  inner join stored_versions as h
    on t.product_id = h.product_id and h.valid_from between t.since and t.until
)

select
  i.row_id,
  i.product_id,
  i.valid_from,
  i.price
from inside as i
where not exists (
  select 1
  from rebuilt_versions as r
  where
    not r.seeded
    and r.product_id = i.product_id
    and r.valid_from = i.valid_from
    and r.price_cents = i.price * 100
    and r.category = i.category
    and r.is_deleted = i.is_deleted
    and r.cause = i.event_id
);

alter table stale_versions add primary key (product_id, valid_from);
analyze stale_versions;
