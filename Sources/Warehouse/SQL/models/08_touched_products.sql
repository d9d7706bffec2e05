-- touched_products: the products of the recandidated groups and of the touched order_ids,
-- each from the earliest event time it may have changed at (`since`). Every product with a
-- line, when rebuilding. touched_windows narrows each product to the spans of time that can
-- change.
--
-- reads: run_events, run_context, recandidated_group_lines, touched_order_lines
-- writes: touched_products
create temp table touched_products (
  product_id bigint primary key,
  since timestamptz not null
) on commit drop;

insert into touched_products (product_id, since)
with product_lines as (
  select
    s.product_id,
    s.event_time
  from run_events as s
  where
    (select rc.rebuilds_everything from run_context as rc)
    and s.event_id is not null
  union all
  select
    l.product_id,
    l.event_time
  from recandidated_group_lines as l
  union all
  -- whichever order of a touched order_id won before or wins now
  select
    o.product_id,
    o.event_time
  from touched_order_lines as o
)

select
  product_id,
  coalesce(min(event_time), 'infinity') as since
from product_lines
where product_id is not null
group by product_id;
analyze touched_products;
