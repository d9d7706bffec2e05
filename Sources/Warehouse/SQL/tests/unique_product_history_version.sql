-- severity: error
-- One row per product and version (among the products this run rebuilt).
select
  h.product_id,
  h.version
from product_history as h
inner join tested_products as t on h.product_id = t.product_id
group by h.product_id, h.version
having count(*) > 1
