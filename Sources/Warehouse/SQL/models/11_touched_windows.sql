-- touched_windows: the spans of time in which a touched product's versions, prices and
-- statuses may change. A state event changed at `t` (its group's candidate changed) reaches
-- from `t` up to the next event after `t` that sets again what it set, that event's instant
-- included: after it the same events meet the same state. Whether that instant starts a
-- version, and which event caused it, still depends on the state before.
-- - A creation or discontinuation reaches the next passing creation, which sets price,
--   category and status whatever came before.
-- - A price update (`prices_only`) reaches the next passing creation or price update. It
--   changes no status, so no event's orphan status. When that next update is an orphan, the
--   product is inactive there: the late update met no active product either (and changes
--   nothing), or a discontinuation inside the window ended it. No version starts until the
--   next creation, which always starts one, as the first version after the window.
-- Reaches that meet or overlap make one window: a reach that ends at another changed point
-- goes on with that point's. A rebuild: every product, whole.
--
-- reads: changed_points, reset_events, touched_products, run_context
-- writes: touched_windows
create temp table touched_windows (
  product_id bigint not null,
  since timestamptz not null,
  until timestamptz not null,
  primary key (product_id, since)
) on commit drop;

insert into touched_windows (product_id, since, until)
with reaches as materialized (
  -- each changed point and the instant it reaches: the first event after it that sets again
  -- what it set (materialized, or each use of `until` below would look it up again)
  select
    p.product_id,
    p.event_time as since,
    coalesce(
      (
        select c.event_time
        from reset_events as c
        where
          c.product_id = p.product_id
          and c.event_time > p.event_time
          and (c.is_creation or p.prices_only)
        order by c.event_time
        limit 1
      ),
      'infinity'
    ) as until
  from changed_points as p
),

reached_before as (
  -- how far the product's earlier changed points reach
  select
    product_id,
    since,
    until,
    max(until) over (
      partition by product_id order by since rows between unbounded preceding and 1 preceding
    ) as reached
  from reaches
),

islands as (
  -- a point that an earlier reach meets or passes joins its window
  select
    product_id,
    since,
    until,
    count(*) filter (where reached is null or since > reached) over (
      partition by product_id order by since rows between unbounded preceding and current row
    ) as island
  from reached_before
)

select
  product_id,
  min(since) as since,
  max(until) as until
from islands
group by product_id, island
union all
select
  t.product_id,
  t.since,
  'infinity' as until
from touched_products as t
where (select rc.rebuilds_everything from run_context as rc);
analyze touched_windows;
