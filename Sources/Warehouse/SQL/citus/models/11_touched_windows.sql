-- touched_windows (Citus): as the single node's, but the walk reads the creations
-- changed_product_creations holds instead of probing staging (sharded) at each step.
--
-- touched_windows: the spans of time in which a touched product's versions, prices and
-- statuses may change. A state event changed at `t` (its group's candidate changed) can
-- change the state from `t` up to the first passing creation after `t`, that creation's
-- instant included: a creation sets price, category and status whatever came before, but
-- whether its instant starts a version, and which event caused it, depends on the state
-- before. After that instant the same events meet the same state. A rebuild: every product,
-- whole.
--
-- reads: changed_points, changed_product_creations, touched_products, run_context
-- writes: touched_windows
create temp table touched_windows (
  product_id bigint not null,
  since timestamptz not null,
  until timestamptz not null,
  primary key (product_id, since)
) on commit drop;

-- Window by window, in time order: each starts at the first changed point after the last
-- one's end and ends at the next passing creation (found by walking the product's lines in
-- time order from there, a few dozen at most). A window whose ending creation is itself at a
-- changed point goes on to the next creation: only a creation that was there before as well
-- brings the old and the new state together. The walk of each product starts from a window
-- that ends before any time (`since` null), left out at the end.
insert into touched_windows (product_id, since, until)
with recursive windows as (
  select distinct
    product_id,
    null::timestamptz as since,
    '-infinity'::timestamptz as until
  from changed_points
  union all
  select
    n.product_id,
    case when n.event_time = w.until then w.since else n.event_time end as since,
    coalesce(
      (
        select c.event_time
        from changed_product_creations as c
        where c.product_id = n.product_id and c.event_time > n.event_time
        order by c.event_time
        limit 1
      ),
      'infinity'
    ) as until
  from windows as w
  cross join lateral (
    select
      p.product_id,
      p.event_time
    from changed_points as p
    where p.product_id = w.product_id and p.event_time >= w.until
    order by p.event_time
    limit 1
  ) as n
)

-- a window that went on is there once per step: its last step reaches furthest
select
  product_id,
  since,
  max(until) as until
from windows
where since is not null
group by product_id, since
union all
select
  t.product_id,
  t.since,
  'infinity' as until
from touched_products as t
where (select rc.rebuilds_everything from run_context as rc);
analyze touched_windows;
