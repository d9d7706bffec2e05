-- Candidates are found by joining lines to their group's first line.
create index event_groups_first_seq on event_groups (first_seq);
