-- touched_orders: the order_ids of those groups (incremental runs; a rebuild judges every
-- order_id).
--
-- reads: recandidated_group_lines
-- writes: touched_orders
create temp table touched_orders on commit drop as
-- distinct, without a key: its readers scan it whole, and filling a key cost more than the
-- rest of the model
select distinct order_id
from recandidated_group_lines
where order_id is not null and event_type = 'order_placed';
analyze touched_orders;
