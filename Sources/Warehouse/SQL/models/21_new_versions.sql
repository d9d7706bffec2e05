-- new_versions (incremental runs): the rebuilt versions not stored yet (a stored one at the
-- same instant that is not stale is the same). A rebuild stores every version it rebuilt,
-- and product_versions reads them from rebuilt_versions, not from a copy here.
--
-- reads: rebuilt_versions, stored_versions, stale_versions, run_context
-- writes: new_versions
create temp table new_versions on commit drop as
select
  r.product_id,
  r.price_cents,
  r.category,
  r.is_deleted,
  r.valid_from,
  r.cause
from rebuilt_versions as r
where
  not (select rc.rebuilds_everything from run_context as rc)
  and not r.seeded
  and not exists (
    select 1
    from stored_versions as h
    where
      h.product_id = r.product_id
      and h.valid_from = r.valid_from
      and not exists (
        select 1
        from stale_versions as s
        where s.product_id = h.product_id and s.valid_from = h.valid_from
      )
  );
