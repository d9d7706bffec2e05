-- changed_point_reaches: each changed point and the instant it reaches (touched_windows
-- merges them). A state event changed at `t` (its group's candidate changed) reaches from `t`
-- up to the next event after `t` that sets again what it set, that event's instant included:
-- after it the same events meet the same state.
-- - A creation or discontinuation reaches the next passing creation, which sets price,
--   category and status whatever came before.
-- - A price update (`prices_only`) reaches the next passing creation or price update. It
--   changes no status, so no event's orphan status. When that next update is an orphan, the
--   product is inactive there: the late update met no active product either (and changes
--   nothing), or a discontinuation inside the window ended it. No version starts until the
--   next creation, which always starts one, as the first version after the window.
-- Most points come after every older line of their product: their reach is among the new
-- resets. The others probe staging's (product_id, event_time) index.
--
-- reads: changed_points, reset_events, new_events, old_events, touched_groups, run_context
-- writes: changed_point_reaches
create temp table changed_point_reaches on commit drop as
with new_resets as (
  -- the passing resets among the new lines (incremental runs), judged by their groups as
  -- touched_groups worked them out (every new line's group is there)
  select
    s.product_id,
    s.event_time
  from new_events as s
  inner join touched_groups as g on s.event_id = g.event_id
  where
    not (select rc.rebuilds_everything from run_context as rc)
    and s.event_type in ('product_created', 'price_updated')
    and s.is_json
    and s.content_reason is null
    and g.first_seq = s.seq
    and not g.conflicting
),

last_older_lines as materialized (
  -- per product with several changed points, its latest line among those read before: one
  -- probe back in time past its new lines, whose pages the ingest just wrote (its latest
  -- older reset, probed the same way, read a page for each older order on the way). A
  -- product's only point probes its reach directly. Materialized, or each point would probe.
  select
    p.product_id,
    (
      select s.event_time
      from old_events as s
      where s.product_id = p.product_id and s.event_time is not null
      order by s.event_time desc
      limit 1
    ) as event_time
  from (
    select product_id
    from changed_points
    group by product_id
    having count(*) > 1
  ) as p
),

next_new_resets as (
  -- each point after its product's latest older line, with the first new reset after it, in
  -- one pass over the product's points and new resets from that line on, latest first: at
  -- one instant a point comes before the resets, which do not end its reach. A creation or
  -- discontinuation reaches the next creation, but every new reset on the way is a changed
  -- point itself (a new line that passes is its group's new candidate), whose reach goes on
  -- from there: the windows they merge into are the same.
  select
    product_id,
    event_time,
    is_point,
    min(event_time) filter (where not is_point) over later as next_reset
  from (
    select p.product_id, p.event_time, true as is_point
    from changed_points as p
    inner join last_older_lines as o on p.product_id = o.product_id
    where p.event_time >= o.event_time or o.event_time is null
    union all
    select r.product_id, r.event_time, false
    from new_resets as r
    inner join last_older_lines as o on r.product_id = o.product_id
    where r.event_time > o.event_time or o.event_time is null
  ) as points_and_resets
  window later as (
    partition by product_id order by event_time desc, is_point desc
    rows between unbounded preceding and 1 preceding
  )
)

-- a point after every older line of its product takes the first new reset after it; any
-- other probes staging for the first reset after it
select
  p.product_id,
  p.event_time as since,
  coalesce(
    case
      when n.product_id is not null then n.next_reset
      else (
        select c.event_time
        from reset_events as c
        where
          c.product_id = p.product_id
          and c.event_time > p.event_time
          and (c.is_creation or p.prices_only)
        order by c.event_time
        limit 1
      )
    end,
    'infinity'
  ) as until
from changed_points as p
left join next_new_resets as n
  on p.product_id = n.product_id and p.event_time = n.event_time and n.is_point;
analyze changed_point_reaches;
