-- severity: error
-- Reasons come from the contract's fourteen. After a run that read every line (`tested_raw`
-- from 0: a rebuild, or `chaoslake test`) the tested lines are joined with every exception.
-- After an incremental run the new lines' exceptions are one range of the key (every new
-- line is tested), and each older tested line looks its exception up by its key (`limit 1`:
-- joined, the planner hashed every exception stored, a table that grows with the log;
-- probing the new lines too looked up thousands of keys for a few hundred rows).
with reads_everything as (
  select t.after_seq = 0 as whole
  from tested_raw as t
),

tested_exceptions as (
  select
    e.seq,
    e.reason
  from line_exceptions as e
  inner join tested_lines as t on e.seq = t.seq
  where (select r.whole from reads_everything as r)
  union all
  select
    e.seq,
    e.reason
  from line_exceptions as e
  where
    not (select r.whole from reads_everything as r)
    and e.seq > (select t.after_seq from tested_raw as t)
    and e.seq <= (select t.up_to_seq from tested_raw as t)
  union all
  select
    t.seq,
    e.reason
  from tested_lines as t
  cross join lateral (
    select x.reason
    from line_exceptions as x
    where x.seq = t.seq
    order by x.seq
    limit 1
  ) as e
  where
    not (select r.whole from reads_everything as r)
    and t.seq <= (select r.after_seq from tested_raw as r)
)

select
  seq,
  reason
from tested_exceptions
where reason not in (
  'malformed_json', 'invalid_event_id', 'conflicting_duplicate', 'unknown_event_type',
  'bad_timestamp', 'inventory_error', 'missing_product_id', 'missing_order_id',
  'unparseable_price', 'negative_price', 'null_category', 'invalid_quantity',
  'duplicate_order', 'orphan_event'
)
