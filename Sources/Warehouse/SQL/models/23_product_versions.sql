-- product_versions: SCD2 versions, keyed by (product_id, valid_from); product_history, a
-- view, numbers them. A run deletes the stale versions, moves the ends around its windows and
-- adds the new versions: the versions outside the windows stay as they are.
--
-- reads: stale_versions, version_ends, new_versions, rebuilt_versions, run_context
-- writes: product_versions

-- the stale versions go, by their rows' addresses (a TID scan): joined back by key, the
-- planner hashed the whole table
delete from product_versions as h
where h.ctid = any(array(select s.row_id from stale_versions as s));

-- Stored versions first (one of them may stop being current), then the new ones. Only the
-- ends that change, each by its row's address (version_ends read the stored end with it).
update product_versions as h
set valid_to = e.valid_to
from version_ends as e
where
  e.may_move
  and e.stored_to is distinct from e.valid_to
  and h.ctid = e.row_id;

-- Into an empty table (a rebuild), its indexes are built once after the load.
select set_indexes_aside('product_versions');

insert into product_versions (
  product_id, price, category, is_deleted, valid_from, valid_to, event_id
)
-- an incremental run's new versions, each ending where version_ends says
select
  n.product_id, n.price_cents / 100.0, n.category, n.is_deleted, n.valid_from, e.valid_to,
  n.cause
from new_versions as n
left join version_ends as e on n.product_id = e.product_id and n.valid_from = e.valid_from
union all
-- a rebuild's: every version it rebuilt (one window per product, no seed), each ending where
-- the next one starts
select
  r.product_id, r.price_cents / 100.0, r.category, r.is_deleted, r.valid_from, r.next_from,
  r.cause
from rebuilt_versions as r
where (select rc.rebuilds_everything from run_context as rc);

select build_indexes_set_aside('product_versions');
select analyze_after_large_change('product_versions');
