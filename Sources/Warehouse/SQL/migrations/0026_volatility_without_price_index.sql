-- The volatility mart no longer reads a product's lowest and highest price from an index: a
-- rebuild finds them in its one pass over every version, and an incremental run carries the
-- stored ones unless a deleted version had them (decision 85). The index cost every write of
-- a version and 10 MiB per 1M lines.
drop index if exists product_versions_product_price;
