-- tested_versions, when the data tests check every version (after a run that rebuilt every
-- product, and in `chaoslake test`): a view of product_versions, each version inside its
-- product's one window. Copying every version into a table cost more than the tests saved.
--
-- reads: product_versions
-- writes: tested_versions
create or replace temp view tested_versions as
select
  h.product_id,
  '-infinity'::timestamptz as since,
  'inside' as place,
  h.valid_from,
  h.valid_to,
  h.price,
  h.category,
  h.event_id
from product_versions as h;
