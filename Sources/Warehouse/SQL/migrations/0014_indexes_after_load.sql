-- A rebuild loads product_versions and line_exceptions into tables the run has just
-- emptied. Keeping their indexes up to date row by row cost more than writing the rows
-- (product_versions at 1M lines: 0.76-0.94 s with its two indexes, 0.30 s without, and
-- 0.14 s to build both afterwards). These two functions set an empty table's indexes aside
-- and build them again, inside the run's transaction: a failed run rolls both back, and the
-- truncate that emptied the table already keeps every reader out until the run commits.

-- Drops the indexes of `target` (its primary key and unique constraints included) and
-- remembers how to build them. Does nothing unless the table is empty, so no model can lose
-- an index over rows that are already there, nor for a table other tables reference.
create function set_indexes_aside(target regclass) returns void
language plpgsql as $$
declare
  index_to_drop record;
  is_empty boolean;
  dropped integer := 0;
begin
  execute format('select not exists (select 1 from %s)', target) into is_empty;
  if not is_empty or exists (select 1 from pg_constraint as f where f.confrelid = target) then
    return;
  end if;

  create temp table if not exists indexes_set_aside (
    target    regclass not null,
    position  integer  not null,
    statement text     not null
  ) on commit drop;

  for index_to_drop in
    -- constraints that own an index first, as `add constraint` builds it again
    select
      format('alter table %s drop constraint %I', target, c.conname) as drop_statement,
      format('alter table %s add constraint %I %s', target, c.conname, pg_get_constraintdef(c.oid))
        as build_statement
    from pg_constraint as c
    where c.conrelid = target and c.contype in ('p', 'u', 'x')
    union all
    select
      format('drop index %s', i.indexrelid::regclass) as drop_statement,
      pg_get_indexdef(i.indexrelid) as build_statement
    from pg_index as i
    where
      i.indrelid = target
      and not exists (select 1 from pg_constraint as c where c.conindid = i.indexrelid)
  loop
    dropped := dropped + 1;
    insert into pg_temp.indexes_set_aside (target, position, statement)
    values (set_indexes_aside.target, dropped, index_to_drop.build_statement);
    execute index_to_drop.drop_statement;
  end loop;
end;
$$;

-- Builds the indexes `set_indexes_aside` dropped from `target`, in the order they were
-- dropped. A table none were set aside for is left as it is.
create function build_indexes_set_aside(target regclass) returns void
language plpgsql as $$
declare
  set_aside record;
begin
  if to_regclass('pg_temp.indexes_set_aside') is null then
    return;
  end if;
  for set_aside in
    select a.statement
    from pg_temp.indexes_set_aside as a
    where a.target = build_indexes_set_aside.target
    order by a.position
  loop
    execute set_aside.statement;
  end loop;
  delete from pg_temp.indexes_set_aside as a where a.target = build_indexes_set_aside.target;
end;
$$;
