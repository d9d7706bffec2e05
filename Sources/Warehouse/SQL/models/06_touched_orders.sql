-- touched_orders: the order_ids of those groups (incremental runs; a rebuild judges every
-- order_id).
--
-- reads: recandidated_group_lines
-- writes: touched_orders
create temp table touched_orders (order_id text primary key) on commit drop;

insert into touched_orders (order_id)
select distinct order_id
from recandidated_group_lines
where order_id is not null and event_type = 'order_placed';
analyze touched_orders;
