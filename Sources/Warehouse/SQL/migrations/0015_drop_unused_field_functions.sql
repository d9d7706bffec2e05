-- Staging moved to ingest (0008): the Swift reader judges every field once, and no model or
-- view has called these field functions since. parse_event_timestamp stays: the view
-- raw_events_v1 reads it.
drop function if exists json_string_value(text);
drop function if exists decimal_price_cents(text);
drop function if exists epoch_millis_timestamp(text);
drop function if exists bounded_integer(text, text);
