-- new_statuses: the verdicts, first failing rule first; '(duplicate)' marks a later line of
-- a group whose envelopes agree. A rebuild keeps only the lines not accepted (what
-- line_exceptions stores; the quality mart counts the accepted ones per date from staging):
-- nine lines in ten are accepted, and writing each cost a row.
--
-- reads: judged_lines, priced_orders, judged_orphans, run_context
-- writes: new_statuses
create temp table new_statuses on commit drop as
with verdicts as (
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
