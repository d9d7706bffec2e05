-- order_winners: rule 12's winners, kept across runs: each touched order_id's row replaced
-- by what elected_orders elected (none: fewer than two passing orders).
--
-- reads: touched_orders, elected_orders
-- writes: order_winners

-- by the rows' addresses, each found by its key (a TID scan): joined by key, the planner
-- hashed the whole table, which grows with the log
delete from order_winners as w
where w.ctid = any(array(
  select x.row_id
  from touched_orders as t
  cross join lateral (
    select o.ctid as row_id
    from order_winners as o
    where o.order_id = t.order_id
    order by o.order_id
    limit 1
  ) as x
));

insert into order_winners (order_id, seq)
select
  order_id,
  seq
from elected_orders;
