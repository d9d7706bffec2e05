-- severity: error
-- Reasons come from the contract's fourteen.
-- (Citus: the tested lines joined with the sharded exceptions, as a rebuild's are on the
-- single node: Citus plans no correlated probe of a sharded table from a temporary one.)
select
  e.seq,
  e.reason
from line_exceptions as e
inner join tested_lines as t on e.seq = t.seq
where e.reason not in (
  'malformed_json', 'invalid_event_id', 'conflicting_duplicate', 'unknown_event_type',
  'bad_timestamp', 'inventory_error', 'missing_product_id', 'missing_order_id',
  'unparseable_price', 'negative_price', 'null_category', 'invalid_quantity',
  'duplicate_order', 'orphan_event'
)
