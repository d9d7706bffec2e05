-- data tests (dbt style): each counts failing rows; severity error fails the run's exit code.
insert into data_test_results (run_id, test, severity, failures, passed)
select c.run_id, t.test, t.severity, t.failures, t.failures = 0
from run_context as c,
lateral (values
  ('unique_line_status_seq', 'error',
    (select count(*) - count(distinct seq) from line_status)),
  ('not_null_line_status_status', 'error',
    (select count(*) from line_status where status is null)),
  ('accepted_values_line_status_reason', 'error',
    (select count(*) from line_status where reason is not null and reason not in (
      'malformed_json', 'invalid_event_id', 'conflicting_duplicate', 'unknown_event_type',
      'bad_timestamp', 'inventory_error', 'missing_product_id', 'missing_order_id',
      'unparseable_price', 'negative_price', 'null_category', 'invalid_quantity',
      'duplicate_order', 'orphan_event'))),
  ('accounting_every_raw_line_has_one_status', 'error',
    (select abs((select count(*) from raw_events as r where r.seq <= c.watermark_to)
                - (select count(*) from line_status)))),
  ('accounting_daily_mart_adds_up', 'error',
    (select count(*) from mart_data_quality_daily
     where accepted + duplicates + invalid <> delivered)
    + (select abs(coalesce(sum(delivered), 0) - (select count(*) from line_status))
       from mart_data_quality_daily)),
  ('unique_product_history_version', 'error',
    -- distinct (product_id, version) pairs: a row value, not a parenthesized column
    (select count(*) - count(distinct (product_id, version)) from product_history)),  -- noqa: ST08
  ('not_null_product_history', 'error',
    (select count(*) from product_history
     where price is null or category is null or event_id is null or valid_from is null)),
  ('relationships_product_history_event_id', 'error',
    (select count(*) from product_history as h
     where not exists (select 1 from stg_events as s join line_status as l using (seq)
                       where s.event_id = h.event_id and l.status = 'accepted'))),
  ('scd2_valid_from_before_valid_to', 'error',
    (select count(*) from product_history where valid_to is not null and valid_from >= valid_to)),
  ('scd2_no_gap_no_overlap', 'error',
    (select count(*) from (
       select
         valid_to,
         lead(valid_from) over (partition by product_id order by version) as next_from
       from product_history) as pairs
     where next_from is not null and valid_to is distinct from next_from)),
  ('scd2_exactly_one_current_row', 'error',
    (select count(*) from (
       select product_id from product_history group by product_id
       having count(*) filter (where valid_to is null) <> 1) as products)),
  ('warn_daily_error_rate_above_half', 'warn',
    (select count(*) from mart_data_quality_daily where error_rate > 0.5))
) as t(test, severity, failures);
