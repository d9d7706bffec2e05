-- reset_events: the events that end a changed point's reach (touched_windows): passing
-- creations and passing price updates (`is_creation` false). A view: touched_windows probes
-- it once per changed point, through staging's (product_id, event_time) index.
--
-- reads: passing_events
-- writes: reset_events
create or replace temp view reset_events as
select
  c.product_id,
  c.event_time,
  c.event_type = 'product_created' as is_creation
from passing_events as c
where c.event_type in ('product_created', 'price_updated');
