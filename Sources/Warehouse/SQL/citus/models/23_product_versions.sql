-- product_versions (Citus): as the single node's, with the stale versions deleted and the
-- moved ends found by key (product_id, valid_from): a row's address means nothing across
-- shards. The indexes stay: Citus would send each drop and build to every shard of a table
-- this transaction has just written to.
--
-- product_versions: SCD2 versions, keyed by (product_id, valid_from); product_history, a
-- view, numbers them. A run deletes the stale versions, moves the ends around its windows and
-- adds the new versions: the versions outside the windows stay as they are.
--
-- reads: stale_versions, version_ends, new_versions, rebuilt_versions, run_context
-- writes: product_versions
delete from product_versions as h
where (h.product_id, h.valid_from) in (select s.product_id, s.valid_from from stale_versions as s);

-- the stored versions whose end moves (the new ones are not stored yet: the key finds none)
update product_versions as h
set valid_to = e.valid_to
from version_ends as e
where
  e.may_move
  and e.stored_to is distinct from e.valid_to
  and h.product_id = e.product_id
  and h.valid_from = e.valid_from;

insert into product_versions (
  product_id, price, category, is_deleted, valid_from, valid_to, event_id
)
select
  n.product_id, n.price_cents / 100.0, n.category, n.is_deleted, n.valid_from, e.valid_to,
  n.cause
from new_versions as n
left join version_ends as e on n.product_id = e.product_id and n.valid_from = e.valid_from
union all
select
  r.product_id, r.price_cents / 100.0, r.category, r.is_deleted, r.valid_from, r.next_from,
  r.cause
from rebuilt_versions as r
where (select rc.rebuilds_everything from run_context as rc);
