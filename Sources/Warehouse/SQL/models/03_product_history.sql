-- history: SCD2 versions of every touched product, rebuilt inside the spans of time it may
-- have changed in (touched_windows); the versions outside stay, and the last one before a
-- span seeds its state. Only the versions that differ from the stored ones are written
-- (product_versions, keyed by time; product_history, a view, numbers them).
--
-- Events apply in (event_time, event_id) order. A product is active before an event when
-- the latest creation-or-discontinuation before it is a creation; an update or
-- discontinuation that meets no active product is an orphan and changes nothing. The
-- state after each applied event is (last price, last created category, last
-- create/discontinue was a discontinue). Several events at one instant collapse to the
-- state after the last of them (same-time replacement), caused by the last one that
-- changed something; an instant whose state equals the previous instant's makes no version
-- (no-change events and replace-then-merge alike).
-- touched_windows: the spans of time in which a touched product's versions, prices and
-- statuses may change. A changed line at `t` (its group's candidate changed, or its order_id
-- elects again) can change the state from `t` up to the first passing creation after `t`,
-- that creation's instant included: a creation sets price, category and status whatever came
-- before, but whether its instant starts a version, and which event caused it, depends on the
-- state before. After that instant the same events meet the same state. A rebuild: every
-- product, whole.
create temp table changed_points (
  product_id bigint not null,
  event_time timestamptz not null,
  primary key (product_id, event_time)
) on commit drop;

insert into changed_points (product_id, event_time)
select
  l.product_id,
  l.event_time
from recandidated_group_lines as l
where l.product_id is not null and l.event_time is not null
union
select
  o.product_id,
  o.event_time
from touched_order_lines as o
where o.product_id is not null;
analyze changed_points;

create temp table touched_windows (
  product_id bigint not null,
  since timestamptz not null,
  until timestamptz not null,
  primary key (product_id, since)
) on commit drop;

-- Window by window, in time order: each starts at the first changed point after the last
-- one's end and ends at the next passing creation (found by walking the product's lines in
-- time order from there, a few dozen at most). A window whose ending creation is itself at a
-- changed point goes on to the next creation: only a creation that was there before as well
-- brings the old and the new state together. The walk of each product starts from a window
-- that ends before any time (`since` null), left out at the end.
insert into touched_windows (product_id, since, until)
with recursive windows as (
  select distinct
    product_id,
    null::timestamptz as since,
    '-infinity'::timestamptz as until
  from changed_points
  union all
  select
    n.product_id,
    case when n.event_time = w.until then w.since else n.event_time end as since,
    coalesce(
      (
        select c.event_time
        from passing_events as c
        where
          c.product_id = n.product_id
          and c.event_time > n.event_time
          and c.event_type = 'product_created'
        order by c.event_time
        limit 1
      ),
      'infinity'
    ) as until
  from windows as w
  cross join lateral (
    select
      p.product_id,
      p.event_time
    from changed_points as p
    where p.product_id = w.product_id and p.event_time >= w.until
    order by p.event_time
    limit 1
  ) as n
)

-- a window that went on is there once per step: its last step reaches furthest
select
  product_id,
  since,
  max(until) as until
from windows
where since is not null
group by product_id, since
union all
select
  t.product_id,
  t.since,
  'infinity' as until
from touched_products as t
where (select rc.rebuilds_everything from run_context as rc);
analyze touched_windows;

-- affected_lines: the lines whose status may change in an incremental run: the new lines,
-- the lines of the groups whose candidate changed, of the touched order_ids, and of the
-- touched products inside their windows (05_line_status judges them, 08_mart_sales_daily
-- counts their orders again).
create temp table affected_lines on commit drop as
-- each part found by its own key (primary key, event_id, order_id, product and time); `union`
-- keeps a line found twice once
select
  s.seq, s.is_json, s.event_id, s.event_type, s.event_time, s.event_date, s.product_id,
  s.order_id, s.price_cents, s.category, s.quantity, s.content_reason
from run_events as s
where
  not (select rc.rebuilds_everything from run_context as rc)
  and s.seq > (select rc.watermark_from from run_context as rc)
union
select
  s.seq, s.is_json, s.event_id, s.event_type, s.event_time, s.event_date, s.product_id,
  s.order_id, s.price_cents, s.category, s.quantity, s.content_reason
from recandidated_groups as r
inner join run_events as s on r.event_id = s.event_id
union
select
  s.seq, s.is_json, s.event_id, s.event_type, s.event_time, s.event_date, s.product_id,
  s.order_id, s.price_cents, s.category, s.quantity, s.content_reason
from touched_orders as o
inner join run_events as s on o.order_id = s.order_id
union
select
  s.seq, s.is_json, s.event_id, s.event_type, s.event_time, s.event_date, s.product_id,
  s.order_id, s.price_cents, s.category, s.quantity, s.content_reason
from touched_windows as t
inner join run_events as s
  on t.product_id = s.product_id and s.event_time between t.since and t.until
where not (select rc.rebuilds_everything from run_context as rc);

alter table affected_lines add primary key (seq);
analyze affected_lines;

-- previous_sales: what the affected orders counted in the sales mart before this run: those
-- that were accepted (judged by an earlier run, no exception stored), at the price of the
-- version then in force, read before this model rewrites the versions
create temp table previous_sales on commit drop as
select
  a.product_id,
  a.event_date,
  a.quantity,
  v.price
from affected_lines as a
cross join lateral (
  select h.price
  from product_versions as h
  where h.product_id = a.product_id and h.valid_from <= a.event_time
  order by h.valid_from desc
  limit 1
) as v
where
  a.event_type = 'order_placed'
  and a.seq <= (select rc.watermark_from from run_context as rc)
  and not exists (select 1 from line_exceptions as e where e.seq = a.seq);


-- price_changes_around_windows (a view: read before this model's writes and again after, by
-- 07_mart_price_volatility): per touched product, how many of the versions inside its windows
-- and first after each window change the price of the version before them. Only these can
-- gain, lose or change the version before them, so the difference between the two readings
-- is how much the product's count of price changes moved.
create or replace temp view price_changes_around_windows as
with around as (
  select distinct
    t.product_id,
    h.valid_from,
    h.price
  from touched_windows as t
  cross join lateral (
    select i.valid_from, i.price
    from product_versions as i
    where i.product_id = t.product_id and i.valid_from between t.since and t.until
    union all
    (
      select a.valid_from, a.price
      from product_versions as a
      where a.product_id = t.product_id and a.valid_from > t.until
      order by a.valid_from
      limit 1
    )
  ) as h
)

select
  a.product_id,
  count(*) filter (where a.price <> b.price) as changes
from around as a
cross join lateral (
  select v.price
  from product_versions as v
  where v.product_id = a.product_id and v.valid_from < a.valid_from
  order by v.valid_from desc
  limit 1
) as b
group by a.product_id;

create temp table previous_price_changes on commit drop as
select
  product_id,
  changes
from price_changes_around_windows
where not (select rc.rebuilds_everything from run_context as rc);

-- kept_versions: per window, the last version before it, which seeds the replay
create temp table kept_versions on commit drop as
select
  t.since as window_since,
  kept.*
from touched_windows as t
cross join lateral (
  select h.product_id, h.price, h.category, h.is_deleted, h.valid_from, h.event_id
  from product_versions as h
  where h.product_id = t.product_id and h.valid_from < t.since
  order by h.valid_from desc
  limit 1
) as kept;

-- the orphans inside the windows are judged again (found from the windows, by the product
-- and time index, rather than by probing staging for every orphan)
with judged_again as materialized (
  select s.seq
  from touched_windows as t
  inner join run_events as s
    on t.product_id = s.product_id and s.event_time between t.since and t.until
  where not (select rc.rebuilds_everything from run_context as rc)
)

delete from state_event_orphans as o
using judged_again as j
where o.seq = j.seq;

create temp table history_events on commit drop as
with events as (
  -- the state before the window, replayed as a creation (and a discontinuation for a
  -- tombstone), then the passing state events inside it. The kept version starts before the
  -- window, so (event time, replay, event_id) orders them all.
  select
    null::bigint as seq, product_id, window_since, valid_from as event_time, event_id,
    'product_created' as event_type, (price * 100)::bigint as price_cents, category,
    0 as replay, true as seeded
  from kept_versions
  union all
  select
    null, product_id, window_since, valid_from, event_id, 'product_discontinued', null, null,
    1, true
  from kept_versions
  where is_deleted
  union all
  select
    s.seq, s.product_id, t.since, s.event_time, s.event_id, s.event_type, s.price_cents,
    s.category, 2, false
  from touched_windows as t
  inner join passing_events as s on t.product_id = s.product_id
  where
    s.event_type in ('product_created', 'price_updated', 'product_discontinued')
    and s.event_time between t.since and t.until
),

positioned as (
  select
    *,
    row_number() over (
      partition by product_id, window_since order by event_time, replay, event_id
    ) as position
  from events
)

select
  p.seq, p.product_id, p.window_since, p.event_time, p.event_id, p.event_type,
  p.price_cents, p.category, p.position, p.seeded,
  -- whether the latest creation or discontinuation before this event is a creation: the
  -- largest of position * 2 + (1 for a creation) over the earlier ones is odd (the window
  -- is ordered as `position` is, so the rows are sorted once)
  (
    max(p.position * 2 + case when p.event_type = 'product_created' then 1 else 0 end)
      filter (where p.event_type <> 'price_updated')
      over (
        partition by p.product_id, p.window_since order by p.event_time, p.replay, p.event_id
        rows between unbounded preceding and 1 preceding
      )
  ) % 2 = 1 as active_before
from positioned as p;

analyze history_events;

insert into state_event_orphans (seq)
select seq from history_events
where not seeded and event_type <> 'product_created' and not coalesce(active_before, false);

create temp table rebuilt_versions on commit drop as
with applied as (
  select
    product_id, window_since, position, event_time, event_id, event_type, price_cents,
    category, seeded
  from history_events
  where event_type = 'product_created' or coalesce(active_before, false)
),

states as (
  -- The state after each event, in one pass over position: the latest price, the latest
  -- creation's category and whether the latest creation or discontinuation was a
  -- discontinuation.
  -- - Every applied event but a discontinuation has a price (rules 4-11 reject the others),
  --   and only an active product is discontinued, so the applied event just before a
  --   discontinuation is its creation or a price update: a discontinuation keeps its price.
  -- - The category and the flag are running maxima with the position in front: of the
  --   position's digits and the category (creations only, a few rows), of position * 2 + 1
  --   for a discontinuation.
  -- Events at one instant are neighbours in position, so the next event's time says
  -- whether this one is the last at its instant.
  select
    product_id,
    window_since,
    position,
    event_time,
    seeded,
    coalesce(price_cents, lag(price_cents) over by_position) as price_cents,
    substr(
      max(lpad(position::text, 20, '0') || category)
        filter (where event_type = 'product_created') over by_position,
      21
    ) as category,
    (
      max(position * 2 + case when event_type = 'product_discontinued' then 1 else 0 end)
        filter (where event_type <> 'price_updated') over by_position
    ) % 2 = 1 as is_deleted,
    (lead(event_time) over by_position is distinct from event_time) as last_at_instant
  from applied
  window by_position as (
    partition by product_id, window_since order by position
    rows between unbounded preceding and current row
  )
),

changes as (
  -- column by column, as `row(...) is distinct from lag(row(...))` compares (a product's
  -- first event changes it), without a record per row
  select
    *,
    (
      lag(position) over by_position is null
      or price_cents is distinct from lag(price_cents) over by_position
      or category is distinct from lag(category) over by_position
      or is_deleted is distinct from lag(is_deleted) over by_position
    ) as changed
  from states
  window by_position as (partition by product_id, window_since order by position)
),

instants as (
  -- at the last event of each instant: the last event so far that changed the state (when
  -- the instant starts a version, one of its own events did)
  select *
  from (
    select
      *,
      max(position) filter (where changed) over (
        partition by product_id, window_since order by position
        rows between unbounded preceding and current row
      ) as cause_position
    from changes
  ) as caused
  where last_at_instant
),

versions as (
  select *
  from (
    select
      *,
      (
        lag(position) over by_position is null
        or price_cents is distinct from lag(price_cents) over by_position
        or category is distinct from lag(category) over by_position
        or is_deleted is distinct from lag(is_deleted) over by_position
      ) as starts_version
    from instants
    window by_position as (partition by product_id, window_since order by position)
  ) as marked
  where starts_version
)

select
  v.product_id,
  v.seeded,
  v.price_cents,
  v.category,
  v.is_deleted,
  v.event_time as valid_from,
  -- the next version's start inside the window: a rebuild's window is the whole product, so
  -- this is its end (an incremental run sets the ends around each window below)
  lead(v.event_time) over (partition by v.product_id, v.window_since order by v.position)
    as next_from,
  c.event_id as cause
from versions as v
inner join history_events as c
  on
    v.product_id = c.product_id
    and v.window_since = c.window_since
    and v.cause_position = c.position;

-- The stored versions inside a window that the rebuild does not reproduce go. The versions
-- inside the windows are found first, by the table's key (a fence: joined with the rebuilt
-- ones at once, the planner read every version).
with inside as materialized (
  select
    h.ctid as row_id,
    h.product_id,
    h.valid_from,
    h.price,
    h.category,
    h.is_deleted,
    h.event_id
  from touched_windows as t
  inner join product_versions as h
    on t.product_id = h.product_id and h.valid_from between t.since and t.until
),

stale as (
  select i.row_id
  from inside as i
  where not exists (
    select 1
    from rebuilt_versions as r
    where
      not r.seeded
      and r.product_id = i.product_id
      and r.valid_from = i.valid_from
      and r.price_cents = i.price * 100
      and r.category = i.category
      and r.is_deleted = i.is_deleted
      and r.cause = i.event_id
  )
)

-- by the rows' addresses, read in this statement (a TID scan): joined back by key or by
-- address, the planner hashed the whole table
delete from product_versions as h
where h.ctid = any(array(select s.row_id from stale as s));

-- new_versions: the rebuilt versions not stored yet (a stored one at the same instant is now
-- the same)
create temp table new_versions on commit drop as
select
  r.product_id,
  r.price_cents,
  r.category,
  r.is_deleted,
  r.valid_from,
  r.next_from,
  r.cause
from rebuilt_versions as r
where
  not r.seeded
  and not exists (
    select 1
    from product_versions as h
    where h.product_id = r.product_id and h.valid_from = r.valid_from
  );

-- version_ends (incremental runs): where each version around the windows ends now: at the
-- next start among the stored versions (the last before each window, those inside it, the
-- first after it) and the new ones. The first version after a window keeps its end
-- (`may_move` is false), unless it is also the last before the next window.
create temp table version_ends on commit drop as
with starts as (
  select
    h.product_id,
    h.valid_from,
    h.valid_from <= t.until as may_move
  from touched_windows as t
  cross join lateral (
    (
      select b.product_id, b.valid_from
      from product_versions as b
      where b.product_id = t.product_id and b.valid_from < t.since
      order by b.valid_from desc
      limit 1
    )
    union all
    select i.product_id, i.valid_from
    from product_versions as i
    where i.product_id = t.product_id and i.valid_from between t.since and t.until
    union all
    (
      select a.product_id, a.valid_from
      from product_versions as a
      where a.product_id = t.product_id and a.valid_from > t.until
      order by a.valid_from
      limit 1
    )
  ) as h
  where not (select rc.rebuilds_everything from run_context as rc)
  union all
  select
    n.product_id,
    n.valid_from,
    true as may_move
  from new_versions as n
  where not (select rc.rebuilds_everything from run_context as rc)
),

distinct_starts as (
  select
    product_id,
    valid_from,
    bool_or(may_move) as may_move
  from starts
  group by product_id, valid_from
)

select
  product_id,
  valid_from,
  lead(valid_from) over (partition by product_id order by valid_from) as valid_to,
  may_move
from distinct_starts;

-- Stored versions first (one of them may stop being current), then the new ones.
update product_versions as h
set valid_to = e.valid_to
from version_ends as e
where
  e.may_move
  and h.product_id = e.product_id
  and h.valid_from = e.valid_from
  and h.valid_to is distinct from e.valid_to;

-- Into an empty table (a rebuild), its indexes are built once after the load.
select set_indexes_aside('product_versions');

insert into product_versions (
  product_id, price, category, is_deleted, valid_from, valid_to, event_id
)
select
  n.product_id, n.price_cents / 100.0, n.category, n.is_deleted, n.valid_from,
  case
    when (select rc.rebuilds_everything from run_context as rc) then n.next_from
    else e.valid_to
  end as valid_to,
  n.cause
from new_versions as n
left join version_ends as e on n.product_id = e.product_id and n.valid_from = e.valid_from;

select build_indexes_set_aside('product_versions');
select analyze_after_large_change('product_versions');
