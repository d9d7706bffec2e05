-- history: SCD2 versions of every touched product, rebuilt from its accepted state events.
--
-- Events apply in (event_time, event_id) order. A product is active before an event when
-- the latest creation-or-discontinuation before it is a creation; an update or
-- discontinuation that meets no active product is an orphan and changes nothing. The
-- state after each applied event is (last price, last created category, last
-- create/discontinue was a discontinue). Several events at one instant collapse to the
-- state after the last of them (same-time replacement), caused by the last one that
-- changed something; an instant whose state equals the previous instant's makes no version
-- (no-change events and replace-then-merge alike).
delete from product_history h using touched_products t where h.product_id = t.product_id;
delete from state_event_orphans o using stg_events s, touched_products t
where o.seq = s.seq and s.product_id = t.product_id;

create temp table history_events on commit drop as
with events as (
  select
    s.seq, s.product_id, s.event_time, s.event_id, s.event_type, s.price_cents, s.category,
    row_number() over (partition by s.product_id order by s.event_time, s.event_id) as position
  from stg_events s
  join touched_products using (product_id)
  join event_groups g on g.first_seq = s.seq and not g.conflicting
  where s.content_reason is null
    and s.event_type in ('product_created', 'price_updated', 'product_discontinued')
)

select
  e.*,
  -- 'C' when the latest creation or discontinuation before this event is a creation
  right(max(lpad(position::text, 20, '0')
            || case event_type when 'product_created' then 'C' else 'D' end)
          filter (where event_type <> 'price_updated')
          over (partition by product_id order by position
                rows between unbounded preceding and 1 preceding), 1) = 'C' as active_before
from events e;

insert into state_event_orphans (seq)
select seq from history_events
where event_type <> 'product_created' and not coalesce(active_before, false);

insert into product_history (
  product_id, version, price, category, is_deleted, valid_from, valid_to, event_id, dbt_scd_id)
with applied as (
  select *
  from history_events
  where event_type = 'product_created' or coalesce(active_before, false)
),

states as (
  select
    product_id, position, event_time, event_id,
    substr(max(lpad(position::text, 20, '0') || price_cents::text)
             filter (where event_type <> 'product_discontinued')
             over running, 21)::bigint as price_cents,
    substr(max(lpad(position::text, 20, '0') || category)
             filter (where event_type = 'product_created')
             over running, 21) as category,
    right(max(lpad(position::text, 20, '0')
              || case event_type when 'product_discontinued' then 'D' else 'C' end)
            filter (where event_type <> 'price_updated')
            over running, 1) = 'D' as is_deleted
  from applied
  window running as (partition by product_id order by position
                     rows between unbounded preceding and current row)
),

changes as (
  select
    *,
    row(price_cents, category, is_deleted) is distinct from
      lag(row(price_cents, category, is_deleted)) over (partition by product_id order by position)
      as changed,
    row_number() over (partition by product_id, event_time order by position desc) = 1
      as last_at_instant
  from states
),

instants as (
  -- per instant: the state after its last event, caused by its last changing event
  select product_id, event_time, price_cents, category, is_deleted, cause
  from (
    select
      *,
      substr(max(lpad(position::text, 20, '0') || event_id::text) filter (where changed)
               over (partition by product_id, event_time), 21)::uuid as cause
    from changes
  ) as per_event
  where last_at_instant
),

versions as (
  select *
  from (
    select
      *,
      row(price_cents, category, is_deleted) is distinct from
        lag(row(price_cents, category, is_deleted)) over (partition by product_id order by event_time)
        as starts_version
    from instants
  ) as marked
  where starts_version
)

select
  product_id,
  row_number() over (partition by product_id order by event_time),
  price_cents / 100.0,
  category,
  is_deleted,
  event_time,
  lead(event_time) over (partition by product_id order by event_time),
  cause,
  md5(product_id::text || '|' || to_char(event_time at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'))
from versions;
