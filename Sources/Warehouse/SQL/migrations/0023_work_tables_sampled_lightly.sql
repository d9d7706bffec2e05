-- An incremental run over a few new lines analyzes its work tables (temporary, dropped at
-- commit) with a small statistics target, set by the engine for its transaction: their plans
-- need sizes and keys, not fine histograms. The tables that outlive the run (staging, event
-- groups, versions) keep the server's own target: analyze_after_large_change sets it back
-- for its analyze, and restores the run's after.
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
       -- pg_stats, not pg_statistic, which only a superuser may read
       select 1
       from pg_stats as p
       inner join pg_namespace as n on p.schemaname = n.nspname
       inner join pg_class as c on n.oid = c.relnamespace and p.tablename = c.relname
       where c.oid = target
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
