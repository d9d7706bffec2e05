-- The marts are small (a row per day, or per day and product) and read whole by the export
-- and the data tests: reference tables, one copy on every node, written in the run's
-- transaction.
select create_reference_table('mart_data_quality_daily');
select create_reference_table('mart_price_volatility');
select create_reference_table('mart_sales_daily');
