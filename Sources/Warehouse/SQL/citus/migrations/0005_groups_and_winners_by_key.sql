-- The repeated event_ids' groups are sharded by event_id and the order_ids' winners by
-- order_id, the keys a run looks them up and replaces them by. Neither is co-located with
-- another table: no query joins them on a shared key.
select create_distributed_table('event_groups', 'event_id', colocate_with => 'none');
select create_distributed_table('order_winners', 'order_id', colocate_with => 'none');
