-- Rule 13's verdict on a state event is read from the run that judges it (the model
-- judged_orphans, from history_events): every passing state event a run judges lies in
-- one of its windows. The table that kept every orphan across runs is read by nothing.
-- On Citus the distributed layout's migrations distribute it first, then drop it (citus
-- migration 0003): dropped here, a new cluster's would fail to distribute it.
do $$
begin
  if exists (select 1 from pg_extension where extname = 'citus') then
    truncate state_event_orphans;
  else
    drop table state_event_orphans;
  end if;
end;
$$;
