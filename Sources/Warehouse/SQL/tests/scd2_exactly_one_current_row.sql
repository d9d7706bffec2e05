-- severity: error
-- Each product has exactly one open version.
select h.product_id
from product_versions as h
inner join tested_products as t on h.product_id = t.product_id
group by h.product_id
having count(*) filter (where h.valid_to is null) <> 1
