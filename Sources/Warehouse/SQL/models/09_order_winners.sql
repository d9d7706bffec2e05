-- order_winners: rule 12's winners, kept across runs: each touched order_id's row replaced
-- by what elected_orders elected (none: fewer than two passing orders).
--
-- reads: touched_orders, elected_orders
-- writes: order_winners

-- the touched order_ids as one array, which the key's index walks in order: joined, the
-- planner hashed the whole table, which grows with the log
delete from order_winners as w
where w.order_id = any(array(select t.order_id from touched_orders as t));

insert into order_winners (order_id, seq)
select
  order_id,
  seq
from elected_orders;
