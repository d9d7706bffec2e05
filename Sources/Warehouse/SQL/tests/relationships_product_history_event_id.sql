-- severity: error
-- Every version the run wrote is caused by an accepted state event of its own product, at
-- its start. After a run that read every line (`tested_raw` from 0: a rebuild, or
-- `chaoslake test`) all versions are checked in one anti-join; after an incremental run,
-- each version inside the windows looks its cause up by its event_id (`limit 1`: one probe
-- of the index, where the planner chose to hash all of staging). Referenced twice, both
-- CTEs are inlined into each use (`not materialized`), not read whole: the anti-join reads
-- the versions as it goes (at 10M lines, copying 3.2M of them first cost 1.7 s).
with reads_everything as (
  select t.after_seq = 0 as whole
  from tested_raw as t
),

versions as not materialized (
  select
    product_id,
    valid_from,
    event_id
  from tested_versions
  where place = 'inside'
),

accepted_state_events as not materialized (
  -- no exception stored: accepted, if judged
  select
    s.seq,
    s.product_id,
    s.event_id,
    s.event_time
  from stg_events as s
  where
    s.event_type in ('product_created', 'price_updated', 'product_discontinued')
    -- `+ 0`: not a range of staging's key, which the planner then read in key order for
    -- the anti-join below (at 10M lines: 2.4 s, against about 1 s for a scan)
    and s.seq + 0 <= (select rc.watermark_to from run_context as rc)
    and not exists (select 1 from line_exceptions as e where e.seq = s.seq)
)

select
  v.product_id,
  v.valid_from,
  v.event_id
from versions as v
where
  (select r.whole from reads_everything as r)
  and not exists (
    select 1
    from accepted_state_events as a
    where
      a.event_id = v.event_id and a.product_id = v.product_id and a.event_time = v.valid_from
  )
union all
select
  v.product_id,
  v.valid_from,
  v.event_id
from versions as v
left join lateral (
  select 1 as found
  from accepted_state_events as a
  where
    a.event_id = v.event_id and a.product_id = v.product_id and a.event_time = v.valid_from
  order by a.seq
  limit 1
) as cause on true
where not (select r.whole from reads_everything as r) and cause.found is null
