-- stored_versions: the versions as the run finds them, before 23_product_versions writes,
-- each with its row's address (`row_id`), by which 23 deletes and moves them. A view: each
-- reader probes product_versions' key through it.
--
-- reads: product_versions
-- writes: stored_versions
create or replace temp view stored_versions as
select
  h.ctid as row_id,
  h.product_id,
  h.price,
  h.category,
  h.is_deleted,
  h.valid_from,
  h.valid_to,
  h.event_id
from product_versions as h;
