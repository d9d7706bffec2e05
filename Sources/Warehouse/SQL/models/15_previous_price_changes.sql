-- previous_price_changes (incremental runs): per touched product, before product_versions
-- changes, how many of the versions inside its windows and first after each window change
-- the price of the version before them, and the latest of them that does. Only these
-- versions can gain, lose or change the version before them, so volatility_counts moves the
-- product's count of price changes by the same count over the versions around the windows
-- after the rewrite (version_ends), and learns whether the stored last change lay around a
-- window.
--
-- reads: touched_windows, stored_versions, run_context
-- writes: previous_price_changes
create temp table previous_price_changes on commit drop as
with around as (
  -- per window, in time order: the versions inside it and the first after it, each with the
  -- price of the one before it among them. The versions of a window are neighbours, so only
  -- the first needs a probe for the one before it (a probe per version cost more than the
  -- rest of the run's volatility).
  select
    t.product_id,
    h.valid_from,
    h.price,
    lag(h.valid_from) over by_time is null as first_found,
    lag(h.price) over by_time as price_before
  from touched_windows as t
  cross join lateral (
    select i.valid_from, i.price
    from stored_versions as i
    where i.product_id = t.product_id and i.valid_from between t.since and t.until
    union all
    (
      select a.valid_from, a.price
      from stored_versions as a
      where a.product_id = t.product_id and a.valid_from > t.until
      order by a.valid_from
      limit 1
    )
  ) as h
  where not (select rc.rebuilds_everything from run_context as rc)
  window by_time as (partition by t.product_id, t.since order by h.valid_from)
),

changed as (
  -- a version first after one window may lie inside the next: counted once (its price
  -- before is the same from either)
  select distinct
    a.product_id,
    a.valid_from,
    a.price <> case
      when a.first_found then (
        select b.price
        from stored_versions as b
        where b.product_id = a.product_id and b.valid_from < a.valid_from
        order by b.valid_from desc
        limit 1
      )
      else a.price_before
    end as changes_price
  from around as a
)

select
  product_id,
  count(*) filter (where changes_price) as changes,
  max(valid_from) filter (where changes_price) as last_change
from changed
group by product_id;
