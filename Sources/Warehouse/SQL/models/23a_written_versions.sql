-- written_versions: the versions as 23_product_versions left them, which pricing, the
-- volatility mart and the data tests read. A view: each reader probes product_versions' key
-- through it.
--
-- reads: product_versions
-- writes: written_versions
create or replace temp view written_versions as
select
  h.product_id,
  h.price,
  h.category,
  h.is_deleted,
  h.valid_from,
  h.valid_to,
  h.event_id
from product_versions as h;
