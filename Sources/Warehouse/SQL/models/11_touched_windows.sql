-- touched_windows: the spans of time in which a touched product's versions, prices and
-- statuses may change. A state event changed at `t` (its group's candidate changed) reaches
-- from `t` up to the next event after `t` that sets again what it set, that event's instant
-- included: after it the same events meet the same state. Whether that instant starts a
-- version, and which event caused it, still depends on the state before.
-- - A creation or discontinuation reaches the next passing creation, which sets price,
--   category and status whatever came before.
-- - A price update (`prices_only`) reaches the next creation or the next passing price update
--   that applies (not an orphan). It changes no status, so no event's orphan status.
-- Reaches that meet or overlap make one window: a reach that ends at another changed point
-- goes on with that point's. A rebuild: every product, whole.
--
-- reads: changed_points, passing_events, state_event_orphans, touched_products, run_context
-- writes: touched_windows
create temp table touched_windows (
  product_id bigint not null,
  since timestamptz not null,
  until timestamptz not null,
  primary key (product_id, since)
) on commit drop;

insert into touched_windows (product_id, since, until)
with reaches as materialized (
  -- each changed point and the instant it reaches (one probe of the product's lines in time
  -- order, which stops at the first event that sets again what the point set; materialized,
  -- or each use of `until` below would probe again)
  select
    p.product_id,
    p.event_time as since,
    coalesce(
      (
        select c.event_time
        from passing_events as c
        where
          c.product_id = p.product_id
          and c.event_time > p.event_time
          and (
            c.event_type = 'product_created'
            or (
              p.prices_only
              and c.event_type = 'price_updated'
              and not exists (select 1 from state_event_orphans as o where o.seq = c.seq)
            )
          )
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
