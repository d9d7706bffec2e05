-- stg_events.identity was never written: 02_event_groups compares envelopes from raw_events
-- directly. Dropping it keeps the table's columns honest.
alter table stg_events drop column identity;
