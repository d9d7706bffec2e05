-- new_statuses: the verdicts, first failing rule first; '(duplicate)' marks a later line of
-- a group whose envelopes agree. A rebuild keeps only the lines not accepted (what
-- line_exceptions stores; the quality mart counts the accepted ones per date from staging):
-- nine lines in ten are accepted, and writing each cost a row.
--
-- reads: judged_lines, priced_orders, state_event_orphans, event_groups, order_winners, run_context
-- writes: new_statuses
create temp table new_statuses on commit drop as
with orphans as (
  -- rule 13's lines: orders no version was in force for, and state events that met no
  -- active product (one set, so each judged line is looked up once; `distinct`, so the
  -- planner knows each seq is there once)
  select distinct both_kinds.seq
  from (
    select p.seq
    from priced_orders as p
    where p.price is null
    union all
    select o.seq
    from state_event_orphans as o
  ) as both_kinds
),

verdicts as (
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
      when o.seq is not null then 'orphan_event'
    end as verdict
  from judged_lines as s
  left join event_groups as g on s.event_id = g.event_id
  left join order_winners as w on s.order_id = w.order_id and s.event_type = 'order_placed'
  left join orphans as o on s.seq = o.seq
)

select
  seq,
  case
    when verdict is null then 'accepted'
    when verdict = '(duplicate)' then 'duplicate'
    else 'invalid'
  end as status,
  case when verdict is not null and verdict <> '(duplicate)' then verdict end as reason,
  case when verdict = 'malformed_json' then null else event_date end as event_date
from verdicts
where verdict is not null or not (select rc.rebuilds_everything from run_context as rc);
