-- mart_data_quality_daily: per event date (the unknown date last in exports), counts per
-- status and reason, error rate = invalid / (delivered - duplicates). Kept by deltas: the
-- statuses this run wrote counted in, the ones they replaced counted out. A rebuild writes
-- only exceptions: it counts every line of a date as accepted, then moves each exception
-- from accepted to its own status.
--
-- reads: delivered_lines, written_statuses, changed_statuses, run_context
-- writes: mart_data_quality_daily
insert into mart_data_quality_daily as m (
  event_date, delivered, accepted, duplicates, invalid, error_rate,
  malformed_json, invalid_event_id, conflicting_duplicate, unknown_event_type, bad_timestamp,
  inventory_error, missing_product_id, missing_order_id, unparseable_price, negative_price,
  null_category, invalid_quantity, duplicate_order, orphan_event
)
with written as (
  -- counted per date and verdict before they are added up: a rebuild writes 145,000
  -- statuses per 1M lines, over a few hundred dates and reasons
  select
    w.event_date,
    w.status,
    w.reason,
    count(*) as line_count
  from written_statuses as w
  group by w.event_date, w.status, w.reason
),

changes as (
  select
    d.event_date,
    'accepted' as status,
    null as reason,
    d.line_count as sign
  from delivered_lines as d  -- rebuilds only
  union all
  select
    w.event_date,
    'accepted' as status,
    null as reason,
    -w.line_count as sign
  from written as w
  where (select rc.rebuilds_everything from run_context as rc)
  union all
  select
    w.event_date,
    w.status,
    w.reason,
    w.line_count as sign
  from written as w
  union all
  select
    c.event_date,
    c.previous_status as status,
    c.previous_reason as reason,
    -1 as sign
  from changed_statuses as c
  where c.previous_status is not null
)

select
  event_date,
  sum(sign) as delivered,
  coalesce(sum(sign) filter (where status = 'accepted'), 0) as accepted,
  coalesce(sum(sign) filter (where status = 'duplicate'), 0) as duplicates,
  coalesce(sum(sign) filter (where status = 'invalid'), 0) as invalid,
  null::numeric as error_rate,  -- set below, from the totals
  coalesce(sum(sign) filter (where reason = 'malformed_json'), 0) as malformed_json,
  coalesce(sum(sign) filter (where reason = 'invalid_event_id'), 0) as invalid_event_id,
  coalesce(sum(sign) filter (where reason = 'conflicting_duplicate'), 0) as conflicting_duplicate,
  coalesce(sum(sign) filter (where reason = 'unknown_event_type'), 0) as unknown_event_type,
  coalesce(sum(sign) filter (where reason = 'bad_timestamp'), 0) as bad_timestamp,
  coalesce(sum(sign) filter (where reason = 'inventory_error'), 0) as inventory_error,
  coalesce(sum(sign) filter (where reason = 'missing_product_id'), 0) as missing_product_id,
  coalesce(sum(sign) filter (where reason = 'missing_order_id'), 0) as missing_order_id,
  coalesce(sum(sign) filter (where reason = 'unparseable_price'), 0) as unparseable_price,
  coalesce(sum(sign) filter (where reason = 'negative_price'), 0) as negative_price,
  coalesce(sum(sign) filter (where reason = 'null_category'), 0) as null_category,
  coalesce(sum(sign) filter (where reason = 'invalid_quantity'), 0) as invalid_quantity,
  coalesce(sum(sign) filter (where reason = 'duplicate_order'), 0) as duplicate_order,
  coalesce(sum(sign) filter (where reason = 'orphan_event'), 0) as orphan_event
from changes
group by event_date
on conflict ((coalesce(event_date, 'infinity'))) do update set
  delivered = m.delivered + excluded.delivered,
  accepted = m.accepted + excluded.accepted,
  duplicates = m.duplicates + excluded.duplicates,
  invalid = m.invalid + excluded.invalid,
  malformed_json = m.malformed_json + excluded.malformed_json,
  invalid_event_id = m.invalid_event_id + excluded.invalid_event_id,
  conflicting_duplicate = m.conflicting_duplicate + excluded.conflicting_duplicate,
  unknown_event_type = m.unknown_event_type + excluded.unknown_event_type,
  bad_timestamp = m.bad_timestamp + excluded.bad_timestamp,
  inventory_error = m.inventory_error + excluded.inventory_error,
  missing_product_id = m.missing_product_id + excluded.missing_product_id,
  missing_order_id = m.missing_order_id + excluded.missing_order_id,
  unparseable_price = m.unparseable_price + excluded.unparseable_price,
  negative_price = m.negative_price + excluded.negative_price,
  null_category = m.null_category + excluded.null_category,
  invalid_quantity = m.invalid_quantity + excluded.invalid_quantity,
  duplicate_order = m.duplicate_order + excluded.duplicate_order,
  orphan_event = m.orphan_event + excluded.orphan_event;

-- the error rate from the new totals (one row per date: a small table)
with rates as (
  select
    event_date,
    case
      when delivered - duplicates > 0
        then round(invalid::numeric / (delivered - duplicates), 4)
    end as error_rate
  from mart_data_quality_daily
)

update mart_data_quality_daily as m
set error_rate = r.error_rate
from rates as r
where
  coalesce(m.event_date, 'infinity') = coalesce(r.event_date, 'infinity')
  and m.error_rate is distinct from r.error_rate;
