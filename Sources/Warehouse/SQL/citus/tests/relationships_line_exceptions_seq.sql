-- severity: error
-- (Citus: as the single node's, with the gate joined as a one-row table: Citus plans no
-- sharded anti-join beside a scalar subquery over a sharded table.)
-- Every stored exception is the status of a staged line up to the watermark: none invented.
-- A run checks the exceptions past the lines it had read before; `chaoslake test` all of
-- them. Within the range, an exception can lack its staged line only when staging is not
-- whole there (counted on its key, as in the accounting test); only then is it looked for.
with bounds as (
  select
    (select t.after_seq from tested_raw as t) as after_seq,
    (select rc.watermark_to from run_context as rc) as up_to_seq
),

staging_whole as (
  select (
    select count(*)
    from stg_events as s
    where
      s.seq > (select b.after_seq from bounds as b)
      and s.seq <= (select b.up_to_seq from bounds as b)
  ) = (select b.up_to_seq - b.after_seq from bounds as b) as whole
)

select e.seq
from line_exceptions as e
where e.seq > (select b.up_to_seq from bounds as b)
union all
select e.seq
from line_exceptions as e
cross join staging_whole as w
where
  not w.whole
  and e.seq > (select b.after_seq from bounds as b)
  and e.seq <= (select b.up_to_seq from bounds as b)
  and not exists (select 1 from stg_events as s where s.seq = e.seq)
