-- rebuilt_versions: the versions the windows' events make, each with its cause and the next
-- version's start inside its window. Several events at one instant collapse to the state
-- after the last of them, caused by the last one that changed something; an instant whose
-- state equals the previous instant's makes no version.
--
-- reads: history_events
-- writes: rebuilt_versions
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
  lead(v.event_time) over by_version as next_from,
  c.event_id as cause,
  -- whether its price differs from the version's before it in the window: a rebuild counts
  -- each product's price changes from here instead of reading every version back
  coalesce(v.price_cents <> lag(v.price_cents) over by_version, false) as changes_price
from versions as v
inner join history_events as c on v.cause_position = c.position
window by_version as (partition by v.product_id, v.window_since order by v.position);
