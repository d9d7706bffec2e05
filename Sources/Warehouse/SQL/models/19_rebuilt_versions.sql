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
    category, category_before, seeded
  from history_events
  where event_type = 'product_created' or coalesce(active_before, false)
),

states as (
  -- The state after each event and whether the event changed it, in one pass over
  -- position. What makes that pass enough:
  -- - Every applied event but a discontinuation has a price (rules 4-11 reject the others),
  --   and only an active product is discontinued, so the applied event just before a
  --   discontinuation is its creation or a price update: a discontinuation keeps its price.
  -- - An applied update meets an active product and a discontinuation leaves none, so the
  --   product is deleted exactly after a discontinuation: a discontinuation always changes
  --   the state, and so does the event after it (an update after it is an orphan).
  -- - The category is the latest creation's, which history_events carries.
  -- A window's first event changes its state. Events at one instant are neighbours in
  -- position, so the events before and after say where the instant begins and ends.
  select
    product_id,
    window_since,
    position,
    event_time,
    event_id,
    seeded,
    coalesce(price_cents, lag(price_cents) over by_position) as price_cents,
    case when event_type = 'product_created' then category else category_before end as category,
    event_type = 'product_discontinued' as is_deleted,
    (
      lag(position) over by_position is null
      or event_type = 'product_discontinued'
      or lag(event_type) over by_position = 'product_discontinued'
      or price_cents is distinct from lag(price_cents) over by_position
      or (event_type = 'product_created' and category is distinct from category_before)
    ) as changed,
    (lag(event_time) over by_position is distinct from event_time) as first_at_instant,
    (lead(event_time) over by_position is distinct from event_time) as last_at_instant
  from applied
  window by_position as (partition by product_id, window_since order by position)
),

instants as (
  -- the last event of each instant, with the last event so far that changed the state.
  -- When the instant starts a version, one of its own events did: the instant's one event,
  -- or, at an instant of several (a few in a hundred), the greatest of the position's
  -- digits and the event_id over the changing events of such instants.
  select *
  from (
    select
      *,
      case
        when first_at_instant then event_id
        else
          substr(
            max(lpad(position::text, 20, '0') || event_id::text)
              filter (where changed and not (first_at_instant and last_at_instant))
              over (
                partition by product_id, window_since order by position
                rows between unbounded preceding and current row
              ),
            21
          )::uuid
      end as cause
    from states
  ) as caused
  where last_at_instant
),

versions as (
  -- column by column, as `row(...) is distinct from lag(row(...))` compares (a window's
  -- first instant starts a version), without a record per row
  select *
  from (
    select
      *,
      (
        lag(position) over by_position is null
        or price_cents is distinct from lag(price_cents) over by_position
        or category is distinct from lag(category) over by_position
        or is_deleted is distinct from lag(is_deleted) over by_position
      ) as starts_version,
      -- whether its price differs from the version's before it: the instant before a
      -- version's first is in the version before, whose state every instant of it has. A
      -- rebuild counts each product's price changes from here instead of reading every
      -- version back.
      coalesce(price_cents <> lag(price_cents) over by_position, false) as changes_price
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
  v.cause,
  v.changes_price
from versions as v
window by_version as (partition by v.product_id, v.window_since order by v.position);
