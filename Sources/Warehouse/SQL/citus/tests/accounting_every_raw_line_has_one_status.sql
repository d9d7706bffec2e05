-- severity: error
-- (Citus: as the single node's, with the gate joined as a one-row table: Citus plans no
-- sharded anti-join beside a scalar subquery over a sharded table.)
-- Every raw line up to the watermark has its staged row, and so exactly one status
-- (line_status reads staging): no line lost, none invented. A run checks the lines it read
-- (tested_raw); `chaoslake test` checks every line.
--
-- Raw `seq` has no gaps and both keys are unique, so the range is whole exactly when each
-- table holds as many rows in it as it is long: two counts on the keys. Only when one is
-- short or long are the lines looked for, to name them.
with bounds as (
  select
    (select t.after_seq from tested_raw as t) as after_seq,
    (select t.up_to_seq from tested_raw as t) as up_to_seq
),

whole as (
  select
    (
      select count(*)
      from raw_events as r
      where
        r.seq > (select b.after_seq from bounds as b)
        and r.seq <= (select b.up_to_seq from bounds as b)
    ) = (select b.up_to_seq - b.after_seq from bounds as b)
    and (
      select count(*)
      from stg_events as s
      where
        s.seq > (select b.after_seq from bounds as b)
        and s.seq <= (select b.up_to_seq from bounds as b)
    ) = (select b.up_to_seq - b.after_seq from bounds as b) as whole
)

select
  r.seq,
  'raw line without a status' as problem
from raw_events as r
cross join whole as w
where
  not w.whole
  and r.seq > (select b.after_seq from bounds as b)
  and r.seq <= (select b.up_to_seq from bounds as b)
  and not exists (select 1 from stg_events as s where s.seq = r.seq)
union all
select
  s.seq,
  'status without a raw line' as problem
from stg_events as s
cross join whole as w
where
  not w.whole
  and s.seq > (select b.after_seq from bounds as b)
  and s.seq <= (select b.up_to_seq from bounds as b)
  and not exists (select 1 from raw_events as r where r.seq = s.seq)
