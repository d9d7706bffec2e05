-- tested_versions: the versions the history data tests check, found once by
-- product_versions' key and read by each test: for each tested window, the versions inside
-- it, the last one before it (whose end a run may move) and the first one after it (where
-- the window's last version must end). `place` says which. After a run that rebuilt every
-- product, and in `chaoslake test`, the engine reads every_version.sql instead.
--
-- reads: tested_windows, written_versions
-- writes: tested_versions
drop view if exists tested_versions;  -- every_version.sql's, from a run before in this session

create temp table tested_versions on commit drop as
select
  t.product_id,
  t.since,
  h.place,
  h.valid_from,
  h.valid_to,
  h.price,
  h.category,
  h.event_id
from tested_windows as t
cross join lateral (
  (
    select
      'before' as place,
      b.valid_from,
      b.valid_to,
      b.price,
      b.category,
      b.event_id
    from written_versions as b
    where b.product_id = t.product_id and b.valid_from < t.since
    order by b.valid_from desc
    limit 1
  )
  union all
  select
    'inside' as place,
    i.valid_from,
    i.valid_to,
    i.price,
    i.category,
    i.event_id
  from written_versions as i
  where i.product_id = t.product_id and i.valid_from between t.since and t.until
  union all
  (
    select
      'after' as place,
      a.valid_from,
      a.valid_to,
      a.price,
      a.category,
      a.event_id
    from written_versions as a
    where a.product_id = t.product_id and a.valid_from > t.until
    order by a.valid_from
    limit 1
  )
) as h;
