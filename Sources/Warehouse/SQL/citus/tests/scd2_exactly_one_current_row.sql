-- severity: error
-- Each product with a version among those the run rebuilt has exactly one open version.
-- (Citus: each tested product's open versions counted on its shard, the products sent
-- there as a plain list: Citus plans no correlated subquery from the run's temporary
-- tables into product_versions.)
select v.product_id
from product_versions as v
where v.product_id in (select t.product_id from tested_windows as t)
group by v.product_id
having count(*) filter (where v.valid_to is null) <> 1
