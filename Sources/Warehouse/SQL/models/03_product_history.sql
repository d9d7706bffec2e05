-- history: SCD2 versions of every touched product, rebuilt from the earliest time it may
-- have changed at (`since`); the versions before stay, and the last of them seeds the state.
-- Only the versions that differ from the stored ones are written (product_versions, keyed
-- by time; product_history, a view, numbers them).
--
-- Events apply in (event_time, event_id) order. A product is active before an event when
-- the latest creation-or-discontinuation before it is a creation; an update or
-- discontinuation that meets no active product is an orphan and changes nothing. The
-- state after each applied event is (last price, last created category, last
-- create/discontinue was a discontinue). Several events at one instant collapse to the
-- state after the last of them (same-time replacement), caused by the last one that
-- changed something; an instant whose state equals the previous instant's makes no version
-- (no-change events and replace-then-merge alike).
create temp table kept_versions on commit drop as
select kept.*
from touched_products as t
cross join lateral (
  select h.product_id, h.price, h.category, h.is_deleted, h.valid_from, h.event_id
  from product_versions as h
  where h.product_id = t.product_id and h.valid_from < t.since
  order by h.valid_from desc
  limit 1
) as kept;

delete from state_event_orphans as o
using run_events as s, touched_products as t
where
  not (select rc.rebuilds_everything from run_context as rc)
  and o.seq = s.seq and s.product_id = t.product_id and s.event_time >= t.since;

create temp table history_events on commit drop as
with events as (
  -- the state before `since`, replayed as a creation (and a discontinuation for a tombstone),
  -- then the passing state events from `since`. The kept version starts before `since`, so
  -- (event time, replay, event_id) orders them all.
  select
    null::bigint as seq, product_id, valid_from as event_time, event_id,
    'product_created' as event_type, (price * 100)::bigint as price_cents, category,
    0 as replay, true as seeded
  from kept_versions
  union all
  select null, product_id, valid_from, event_id, 'product_discontinued', null, null, 1, true
  from kept_versions
  where is_deleted
  union all
  select
    s.seq, s.product_id, s.event_time, s.event_id, s.event_type, s.price_cents, s.category, 2,
    false
  from passing_events as s
  inner join touched_products as t on s.product_id = t.product_id
  where
    s.event_type in ('product_created', 'price_updated', 'product_discontinued')
    and s.event_time >= t.since
),

positioned as (
  select
    *,
    row_number() over (partition by product_id order by event_time, replay, event_id)
      as position
  from events
)

select
  p.seq, p.product_id, p.event_time, p.event_id, p.event_type, p.price_cents, p.category,
  p.position, p.seeded,
  -- whether the latest creation or discontinuation before this event is a creation: the
  -- largest of position * 2 + (1 for a creation) over the earlier ones is odd (the window
  -- is ordered as `position` is, so the rows are sorted once)
  (
    max(p.position * 2 + case when p.event_type = 'product_created' then 1 else 0 end)
      filter (where p.event_type <> 'price_updated')
      over (
        partition by p.product_id order by p.event_time, p.replay, p.event_id
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
  select product_id, position, event_time, event_id, event_type, price_cents, category, seeded
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
    partition by product_id order by position
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
  window by_position as (partition by product_id order by position)
),

instants as (
  -- at the last event of each instant: the last event so far that changed the state (when
  -- the instant starts a version, one of its own events did)
  select *
  from (
    select
      *,
      max(position) filter (where changed) over (
        partition by product_id order by position
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
    window by_position as (partition by product_id order by position)
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
  lead(v.event_time) over (partition by v.product_id order by v.position) as valid_to,
  c.event_id as cause
from versions as v
inner join history_events as c on v.product_id = c.product_id and v.cause_position = c.position;

-- The stored versions from `since` that the rebuild does not reproduce exactly go.
delete from product_versions as h
using touched_products as t
where
  h.product_id = t.product_id
  and h.valid_from >= t.since
  and not exists (
    select 1
    from rebuilt_versions as r
    where
      not r.seeded
      and r.product_id = h.product_id
      and r.valid_from = h.valid_from
      and r.price_cents = h.price * 100
      and r.category = h.category
      and r.is_deleted = h.is_deleted
      and r.valid_to is not distinct from h.valid_to
      and r.cause = h.event_id
  );

-- The last kept version now ends where the first rebuilt one starts (or is current).
update product_versions as h
set valid_to = r.valid_to
from rebuilt_versions as r
where
  r.seeded
  and h.product_id = r.product_id
  and h.valid_from = r.valid_from
  and h.valid_to is distinct from r.valid_to;

-- The rebuilt versions not stored yet (a stored one at the same instant is the same). Into
-- an empty table (a rebuild), its indexes are built once after the load.
select set_indexes_aside('product_versions');

insert into product_versions (
  product_id, price, category, is_deleted, valid_from, valid_to, event_id
)
select
  r.product_id, r.price_cents / 100.0, r.category, r.is_deleted, r.valid_from, r.valid_to,
  r.cause
from rebuilt_versions as r
where
  not r.seeded
  and not exists (
    select 1
    from product_versions as h
    where h.product_id = r.product_id and h.valid_from = r.valid_from
  );

select build_indexes_set_aside('product_versions');
select analyze_after_large_change('product_versions');
