-- An incremental run looks lines up by what its new lines touch: the other lines of an
-- event_id, the lines of a product inside a span of time, the orders of an order_id. Without
-- these indexes each lookup scanned staging whole, so a run's cost followed the table's size
-- (issue 23). Ingest keeps them up to date (decision 60 gives what that costs).
create index stg_events_event_id on stg_events (event_id);
create index stg_events_product_time on stg_events (product_id, event_time);
create index stg_events_order_id on stg_events (order_id);

-- The price volatility mart reads a product's lowest and highest price from this index
-- instead of from every version of the product.
create index product_versions_product_price on product_versions (product_id, price);
