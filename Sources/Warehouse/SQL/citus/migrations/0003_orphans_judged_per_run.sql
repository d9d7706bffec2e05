-- As common migration 0025 on one node: rule 13's verdicts on state events are read from
-- the run that judges them, and the table that kept them across runs is read by nothing.
drop table if exists state_event_orphans;
