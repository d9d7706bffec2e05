-- mart_data_quality_daily: per event date of the affected lines (unknown date last in
-- exports), counts per status and reason, error rate = invalid / (delivered - duplicates).
create temp table touched_dates on commit drop as
select distinct l.event_date from line_status as l join affected_lines using (seq);

delete from mart_data_quality_daily m
using touched_dates d
where m.event_date is not distinct from d.event_date;

insert into mart_data_quality_daily
select
  l.event_date,
  count(*),
  count(*) filter (where l.status = 'accepted'),
  count(*) filter (where l.status = 'duplicate'),
  count(*) filter (where l.status = 'invalid'),
  case when count(*) - count(*) filter (where l.status = 'duplicate') > 0 then
    round(count(*) filter (where l.status = 'invalid')::numeric
          / (count(*) - count(*) filter (where l.status = 'duplicate')), 4)
  end,
  count(*) filter (where l.reason = 'malformed_json'),
  count(*) filter (where l.reason = 'invalid_event_id'),
  count(*) filter (where l.reason = 'conflicting_duplicate'),
  count(*) filter (where l.reason = 'unknown_event_type'),
  count(*) filter (where l.reason = 'bad_timestamp'),
  count(*) filter (where l.reason = 'inventory_error'),
  count(*) filter (where l.reason = 'missing_product_id'),
  count(*) filter (where l.reason = 'missing_order_id'),
  count(*) filter (where l.reason = 'unparseable_price'),
  count(*) filter (where l.reason = 'negative_price'),
  count(*) filter (where l.reason = 'null_category'),
  count(*) filter (where l.reason = 'invalid_quantity'),
  count(*) filter (where l.reason = 'duplicate_order'),
  count(*) filter (where l.reason = 'orphan_event')
from line_status as l
where exists (select 1 from touched_dates as d where d.event_date is not distinct from l.event_date)
group by l.event_date;
