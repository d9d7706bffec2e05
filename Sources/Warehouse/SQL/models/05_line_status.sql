-- line_status: the status of every line that may have changed: when rebuilding, every line;
-- otherwise affected_lines (03_product_history): the new lines, the lines of the groups whose
-- candidate changed, of the touched order_ids, and of the touched products inside their
-- windows.
create or replace temp view judged_lines as
select
  s.seq, s.is_json, s.event_id, s.event_type, s.event_time, s.event_date, s.product_id,
  s.order_id, s.price_cents, s.category, s.quantity, s.content_reason
from run_events as s
where (select rc.rebuilds_everything from run_context as rc)
union all
select
  a.seq, a.is_json, a.event_id, a.event_type, a.event_time, a.event_date, a.product_id,
  a.order_id, a.price_cents, a.category, a.quantity, a.content_reason
from affected_lines as a;

-- new_statuses: the verdicts, first failing rule first; '(duplicate)' marks a later line of
-- a group whose envelopes agree. A rebuild keeps only the lines not accepted (what
-- line_exceptions stores; the quality mart counts the accepted ones per date from staging):
-- nine lines in ten are accepted, and writing each cost a row.
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

-- their statuses before this run: the lines judged before (up to the previous watermark)
-- are accepted unless an exception is stored
create temp table previous_status on commit drop as
select
  a.seq,
  coalesce(e.status, 'accepted') as status,
  e.reason
from affected_lines as a
left join line_exceptions as e on a.seq = e.seq
where a.seq <= (select rc.watermark_from from run_context as rc);
analyze previous_status;

-- changed_statuses: the verdicts that differ from before (incremental runs; a rebuild writes
-- every verdict). Only these are written, and the quality mart moves by them.
create temp table changed_statuses on commit drop as
select
  n.seq,
  n.status,
  n.reason,
  n.event_date,
  p.status as previous_status,
  p.reason as previous_reason
from new_statuses as n
left join previous_status as p on n.seq = p.seq
where
  not (select rc.rebuilds_everything from run_context as rc)
  and (p.seq is null or row(n.status, n.reason) is distinct from row(p.status, p.reason));

-- written_statuses: what this run writes: a rebuild's exceptions, or an incremental run's
-- changed verdicts (accepted ones included)
create or replace temp view written_statuses as
select
  n.seq,
  n.status,
  n.reason,
  n.event_date
from new_statuses as n
where (select rc.rebuilds_everything from run_context as rc)
union all
select
  c.seq,
  c.status,
  c.reason,
  c.event_date
from changed_statuses as c;

-- line_exceptions stores the lines that are not accepted (line_status, a view, adds the
-- accepted ones)
delete from line_exceptions as e
using changed_statuses as c
where e.seq = c.seq;

-- into an empty table (a rebuild), its index is built once after the load
select set_indexes_aside('line_exceptions');

insert into line_exceptions (seq, status, reason)
select
  seq,
  status,
  reason
from written_statuses
where status <> 'accepted';

select build_indexes_set_aside('line_exceptions');
