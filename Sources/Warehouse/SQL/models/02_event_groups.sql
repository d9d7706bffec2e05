-- rules 1-3 (malformed_json, invalid_event_id, conflicting_duplicate): the event_id groups
-- the new lines joined. A group whose envelopes differ (as
-- jsonb compares them: string payload decoded, event_id lower-cased) is conflicting;
-- otherwise its first line is its candidate. Identities are only built for groups with
-- more than one line.
create temp table touched_groups on commit drop as
select distinct s.event_id
from stg_events as s
where s.seq > (select rc.watermark_from from run_context as rc)
  and s.seq <= (select rc.watermark_to from run_context as rc)
  and s.event_id is not null;
analyze touched_groups;  -- temp tables have no statistics until analyzed

insert into event_groups (event_id, first_seq, conflicting)
with members as (
  select s.event_id, s.seq, count(*) over (partition by s.event_id) as lines
  from stg_events as s
  join touched_groups using (event_id)
),

identities as (
  select
    m.event_id,
    m.seq,
    case when m.lines > 1 then
      (convert_from(r.raw_line, 'UTF8')::jsonb - 'event_id' - 'payload')
        || jsonb_build_object('event_id', lower(r.event_id), 'payload', r.payload)
    end as identity
  from members as m
  join raw_events as r using (seq)
)

select event_id, min(seq), count(distinct identity) > 1
from identities
group by event_id
on conflict (event_id) do update
  set first_seq = excluded.first_seq, conflicting = excluded.conflicting;

do $$
begin
  -- Only when this run changed a good part of the table: analyze samples a fixed number of
  -- rows, a cost a small incremental run should not pay.
  if (select watermark_to - watermark_from from run_context) * 10
       >= (select greatest(reltuples, 0) from pg_class where oid = 'event_groups'::regclass) then
    analyze event_groups;
  end if;
end;
$$;

-- Everything downstream of a touched group: its products (from the earliest event time
-- they may have changed at) and its order_ids.
create temp table touched_products (
  product_id bigint primary key,
  since      timestamptz not null
) on commit drop;
create temp table touched_orders (order_id text primary key) on commit drop;

insert into touched_products
select s.product_id, coalesce(min(s.event_time), 'infinity')
from stg_events as s join touched_groups using (event_id)
where s.product_id is not null
group by s.product_id;

insert into touched_orders
select distinct s.order_id
from stg_events as s join touched_groups using (event_id)
where s.order_id is not null and s.event_type = 'order_placed'
on conflict do nothing;
analyze touched_orders;
