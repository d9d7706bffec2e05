-- Most lines are accepted, and an accepted line's status says nothing staging does not: a
-- row per line cost a million inserts per million lines (1.5 s of a 14 s run) and a
-- quarter of the database. The table now holds the lines that were not accepted;
-- line_status, a view, still answers one row per judged line, 'accepted' where no exception
-- is stored, as before.
create table line_exceptions (
  seq    bigint primary key,
  status text   not null check (status in ('duplicate', 'invalid')),
  reason text   check ((status = 'invalid') = (reason is not null))
);

insert into line_exceptions (seq, status, reason)
select l.seq, l.status, l.reason
from line_status as l
where l.status <> 'accepted';

drop table line_status;

-- Every staged line up to the last run's watermark (the running run's, inside it): lines
-- ingested since wait for the next run and have no status yet. A line that is not JSON has
-- no event date.
create view line_status as
with judged as (
  select coalesce(max(r.watermark_to), 0) as watermark
  from pipeline_runs as r
  where r.status in ('running', 'succeeded')
)

select
  s.seq,
  e.reason,
  coalesce(e.status, 'accepted') as status,
  case when s.is_json then s.event_date end as event_date
from stg_events as s
left join line_exceptions as e on s.seq = e.seq
where s.seq <= (select j.watermark from judged as j);
