-- Incremental runs keep each product's versions before a point in time and rebuild the rest.
create index product_history_product_time on product_history (product_id, valid_from);
