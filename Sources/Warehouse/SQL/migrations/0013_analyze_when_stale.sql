-- analyze_after_large_change (0008) measured the run's new lines against the table's rows,
-- so a full refresh analyzed staging again although no line of it had changed since the
-- last analyze (0.2 s to 1.3 s at 1M lines). A large run now also has to find that a tenth
-- of the table changed since it was last analyzed, this transaction's changes included, as
-- the statistics collector counts them (autovacuum's measure). The counters alone would not
-- do: an analyze halfway through a transaction leaves the rows it wrote before counted as
-- changed after it commits. A table without statistics (never analyzed, or its analyze rolled
-- back with a failed run) is analyzed whatever the counters say.
create or replace function analyze_after_large_change(target regclass) returns void
language plpgsql as $$
declare
  table_rows double precision;
  run_lines bigint;
  changed_rows bigint;
begin
  select rc.watermark_to - rc.watermark_from into run_lines
  from run_context as rc;

  select greatest(c.reltuples, 0) into table_rows
  from pg_class as c
  where c.oid = target;

  select
    coalesce(max(s.n_mod_since_analyze), 0)
    + coalesce(max(x.n_tup_ins + x.n_tup_upd + x.n_tup_del), 0)
  into changed_rows
  from pg_stat_all_tables as s
  left join pg_stat_xact_all_tables as x on s.relid = x.relid
  where s.relid = target;

  if (run_lines * 10 >= table_rows and changed_rows * 10 >= table_rows)
     or not exists (
       -- pg_stats, not pg_statistic, which only a superuser may read
       select 1
       from pg_stats as p
       inner join pg_namespace as n on p.schemaname = n.nspname
       inner join pg_class as c on n.oid = c.relnamespace and p.tablename = c.relname
       where c.oid = target
     ) then
    execute format('analyze %s', target);
  end if;
end;
$$;
