-- severity: error
-- Every closed version ends after it starts (the versions inside the windows the run
-- rebuilt, and the one before each, whose end the run may have moved).
select
  product_id,
  valid_from
from tested_versions
where place in ('before', 'inside') and valid_to is not null and valid_from >= valid_to
