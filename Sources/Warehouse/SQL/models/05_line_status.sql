-- statuses: every line whose status may have changed: the new lines, the members of the
-- touched groups, and the candidates of the touched products and order_ids.
create temp table affected_lines (seq bigint primary key) on commit drop;

insert into affected_lines
select s.seq from stg_events as s
where s.seq > (select rc.watermark_from from run_context as rc)
  and s.seq <= (select rc.watermark_to from run_context as rc)
on conflict do nothing;

insert into affected_lines
select s.seq from stg_events as s join touched_groups using (event_id)
on conflict do nothing;

insert into affected_lines
select s.seq from stg_events as s join touched_products as t using (product_id)
where s.event_time >= t.since
on conflict do nothing;

insert into affected_lines
select s.seq from stg_events as s join touched_orders using (order_id)
on conflict do nothing;

analyze affected_lines;

insert into line_status (seq, status, reason, event_date)
with judged as materialized (
  select
    s.seq,
    s.event_date,
    case
      when not s.is_json then 'malformed_json'
      when s.event_id is null then 'invalid_event_id'
      when g.conflicting then 'conflicting_duplicate'
      when g.first_seq <> s.seq then '(duplicate)'
      when s.content_reason is not null then s.content_reason
      when s.event_type = 'order_placed' and w.seq <> s.seq then 'duplicate_order'
      when s.event_type = 'order_placed' and not exists (
          select 1 from product_history as h
          where h.product_id = s.product_id and not h.is_deleted
            and tstzrange(h.valid_from, h.valid_to) @> s.event_time)
        then 'orphan_event'
      when o.seq is not null then 'orphan_event'
    end as verdict
  -- affected_lines is joined through using (seq), which sqlfluff does not count as a use
  from affected_lines  -- noqa: ST11
  join stg_events as s using (seq)
  left join event_groups as g on s.event_id = g.event_id
  left join order_winners as w on s.order_id = w.order_id and s.event_type = 'order_placed'
  left join state_event_orphans as o on s.seq = o.seq
)

select
  seq,
  case
    when verdict is null then 'accepted'
    when verdict = '(duplicate)' then 'duplicate'
    else 'invalid'
  end,
  case when verdict is not null and verdict <> '(duplicate)' then verdict end,
  case when verdict = 'malformed_json' then null else event_date end
from judged
on conflict (seq) do update set status = excluded.status, reason = excluded.reason;
