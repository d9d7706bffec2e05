-- The distributed layout (Citus only): the tables that grow with the log are sharded over
-- the workers by the key their readers look rows up by, and co-located where models join
-- them on it. Everything else stays a table of the coordinator.
--
-- By line (`seq`): raw lines, their staged fields, the lines' exceptions and orphan flags.
-- raw_events' triggers only raise (append-only), so Citus may copy them onto the shards.
select set_config('citus.enable_unsafe_triggers', 'on', true);
select create_distributed_table('raw_events', 'seq');
select create_distributed_table('stg_events', 'seq', colocate_with => 'raw_events');
select create_distributed_table('line_exceptions', 'seq', colocate_with => 'raw_events');
select create_distributed_table('state_event_orphans', 'seq', colocate_with => 'raw_events');
