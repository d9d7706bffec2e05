-- analyze_after_large_change asked pg_stats whether the table has statistics by joining the
-- view to the catalogs by name. The planner cannot push that join into the view, so every
-- statistics row of the database was read and its privileges checked: 12-17 ms a call, three
-- calls a run, when the run itself may take a few tenths of a second. The names are now
-- looked up first and compared as values.
create or replace function analyze_after_large_change(target regclass) returns void
language plpgsql as $$
declare
  run_target text := current_setting('default_statistics_target');
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
       -- pg_stats, not pg_statistic, which only a superuser may read; filtered by the
       -- table's names as values, which the view looks up by index
       select 1
       from pg_stats as p
       where (p.schemaname, p.tablename) = (
         select n.nspname, c.relname
         from pg_class as c
         inner join pg_namespace as n on c.relnamespace = n.oid
         where c.oid = target
       )
     ) then
    -- at the server's own statistics target, not the run's (see the header)
    perform set_config(
      'default_statistics_target',
      (select s.reset_val from pg_settings as s where s.name = 'default_statistics_target'),
      true
    );
    execute format('analyze %s', target);
    perform set_config('default_statistics_target', run_target, true);
  end if;
end;
$$;
