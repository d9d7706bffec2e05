-- new_statuses: the verdicts, first failing rule first; '(duplicate)' marks a later line of
-- a group whose envelopes agree.
-- - An incremental run judges every line of judged_lines, accepted ones included (a line
--   accepted now may have been rejected before).
-- - A rebuild keeps only the lines not accepted (what line_exceptions stores; the quality
--   mart counts the accepted ones per date from staging): nine lines in ten are accepted.
--   It finds them from each rule's own lines (staging's rejected lines, the repeated
--   event_ids' groups, the contested order_ids, the orphans), not by joining every line
--   with all of those: at 10M lines four hash probes for each of 10M lines took 17 s. A
--   line that several rules reject keeps the first rule's verdict.
--
-- reads: judged_lines, new_events, touched_groups, elected_orders, priced_orders,
--        judged_orphans, run_context
-- writes: new_statuses
create temp table new_statuses on commit drop as
with rebuild as (
  select rc.rebuilds_everything as everything
  from run_context as rc
),

judged_verdicts as (
  -- an incremental run
  select
    s.seq,
    s.event_date,
    case
      when not s.is_json then 'malformed_json'
      when s.event_id is null then 'invalid_event_id'
      when s.group_conflicting then 'conflicting_duplicate'
      when s.group_first_seq <> s.seq then '(duplicate)'
      when s.content_reason is not null then s.content_reason
      when s.event_type = 'order_placed' and s.winner_seq <> s.seq then 'duplicate_order'
      when so.seq is not null or po.seq is not null then 'orphan_event'
    end as verdict
  from judged_lines as s
  -- rule 13's lines: state events that met no active product, orders no version was in
  -- force for, both of this run's judged lines only; each table holds a line once, and a
  -- line is a state event or an order
  left join judged_orphans as so on s.seq = so.seq
  left join priced_orders as po on s.seq = po.seq and po.price is null
  where not (select r.everything from rebuild as r)
),

rejections as (
  -- a rebuild: each rule's rejected lines, with the rule's place in the order above
  select
    s.seq,
    s.event_date,
    case when not s.is_json then 1 when s.event_id is null then 2 else 5 end as rule,
    case
      when not s.is_json then 'malformed_json'
      when s.event_id is null then 'invalid_event_id'
      else s.content_reason
    end as verdict
  from new_events as s
  where
    (select r.everything from rebuild as r)
    and (not s.is_json or s.event_id is null or s.content_reason is not null)
  union all
  select
    s.seq,
    s.event_date,
    case when g.conflicting then 3 else 4 end,
    case when g.conflicting then 'conflicting_duplicate' else '(duplicate)' end
  from touched_groups as g
  inner join new_events as s on g.event_id = s.event_id
  where
    (select r.everything from rebuild as r)
    and (g.conflicting or g.first_seq <> s.seq)
  union all
  select
    s.seq,
    s.event_date,
    6,
    'duplicate_order'
  from elected_orders as w
  inner join new_events as s on w.order_id = s.order_id
  where
    (select r.everything from rebuild as r)
    -- looked up in staging's order_id index as a list: joined alone, the planner merged
    -- them with the whole index (at 1M lines 555,000 entries for 11,600 order_ids)
    and s.order_id = any(array(select e.order_id from elected_orders as e))
    and s.event_type = 'order_placed'
    and s.seq <> w.seq
  union all
  select
    s.seq,
    s.event_date,
    7,
    'orphan_event'
  from judged_orphans as o
  inner join new_events as s on o.seq = s.seq
  where (select r.everything from rebuild as r)
  union all
  select
    seq,
    event_date,
    7,
    'orphan_event'
  from priced_orders
  where (select r.everything from rebuild as r) and price is null
),

first_rejections as (
  select distinct on (seq)
    seq,
    event_date,
    verdict
  from rejections
  order by seq, rule
),

verdicts as (
  select
    seq,
    event_date,
    verdict
  from judged_verdicts
  union all
  select
    seq,
    event_date,
    verdict
  from first_rejections
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
from verdicts;
