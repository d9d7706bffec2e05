-- judged_orphans: rule 13 for state events, for the lines judged in this run: the updates
-- and discontinuations inside the windows (every one, when rebuilding) that met no active
-- product. No table keeps them across runs: every passing state event a run judges lies in
-- one of its windows (a new or re-candidated one starts one; a window's lines are judged
-- again), so a run finds each verdict it needs here.
--
-- reads: history_events
-- writes: judged_orphans
create temp table judged_orphans on commit drop as
select seq
from history_events
where not seeded and event_type <> 'product_created' and not coalesce(active_before, false);

alter table judged_orphans add primary key (seq);
analyze judged_orphans;
