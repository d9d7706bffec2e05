-- touched_windows: the spans of time in which a touched product's versions, prices and
-- statuses may change: the changed points' reaches (changed_point_reaches), merged where
-- they meet or overlap. A reach that ends at another changed point goes on with that
-- point's. Whether a window's last instant starts a version, and which event caused it,
-- still depends on the state before. A rebuild: every product, whole.
--
-- reads: changed_point_reaches, touched_products, run_context
-- writes: touched_windows
create temp table touched_windows (
  product_id bigint not null,
  since timestamptz not null,
  until timestamptz not null,
  primary key (product_id, since)
) on commit drop;

insert into touched_windows (product_id, since, until)
with reached_before as (
  -- how far the product's earlier changed points reach
  select
    product_id,
    since,
    until,
    max(until) over (
      partition by product_id order by since rows between unbounded preceding and 1 preceding
    ) as reached
  from changed_point_reaches
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
