-- previous_sales (Citus): as the single node's, with the affected lines' exceptions read
-- from their shards once instead of by a correlated subquery, which Citus does not plan.
--
-- previous_sales: what the affected orders counted in the sales mart before this run: those
-- that were accepted (judged by an earlier run, no exception stored), at the price of the
-- version then in force, read before product_versions changes
--
-- reads: affected_lines, stored_versions, line_exceptions, run_context
-- writes: previous_sales
create temp table previous_sales on commit drop as
select
  a.product_id,
  a.event_date,
  a.quantity,
  v.price
from affected_lines as a
cross join lateral (
  select h.price
  from stored_versions as h
  where h.product_id = a.product_id and h.valid_from <= a.event_time
  order by h.valid_from desc
  limit 1
) as v
where
  a.event_type = 'order_placed'
  and a.seq <= (select rc.watermark_from from run_context as rc)
  and a.seq not in (
    select e.seq
    from line_exceptions as e
    where e.seq in (select l.seq from affected_lines as l)
  );
