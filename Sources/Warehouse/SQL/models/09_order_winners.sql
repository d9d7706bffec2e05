-- order_winners: rule 12's winners, kept across runs: each touched order_id's row replaced
-- by what elected_orders elected (none: fewer than two passing orders).
--
-- reads: touched_orders, elected_orders
-- writes: order_winners
delete from order_winners as w
using touched_orders as t
where w.order_id = t.order_id;

insert into order_winners (order_id, seq)
select
  order_id,
  seq
from elected_orders;
