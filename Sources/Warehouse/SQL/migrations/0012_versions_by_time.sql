-- A version number is a position: a late event that adds a version shifts the number of
-- every later one, so an incremental run rewrote each of them (at 1M lines, 52,000 rows
-- for 4,000 new versions). The versions are now stored by (product_id, valid_from), and
-- product_history, a view, numbers them and adds dbt's columns, as the table had them.
alter table product_history rename to product_versions;

alter table product_versions
drop column dbt_valid_from,
drop column dbt_valid_to,
drop column dbt_updated_at,
drop column dbt_scd_id;

alter table product_versions drop constraint product_history_pkey;
alter table product_versions drop column version;
drop index product_history_product_time;
alter table product_versions add primary key (product_id, valid_from);
alter index product_history_one_current rename to product_versions_one_current;
alter table product_versions rename constraint product_history_check to product_versions_check;

-- Version numbers from 1 in time order; dbt_scd_id as dbt builds it, from product_id and
-- valid_from. A filter on product_id reaches the table's key (it is the window's partition).
create view product_history as
-- the table's columns in the table's order (calculations among them)
select  -- noqa: ST06
  v.product_id,
  (row_number() over (partition by v.product_id order by v.valid_from))::integer as version,
  v.price,
  v.category,
  v.is_deleted,
  v.valid_from,
  v.valid_to,
  v.event_id,
  md5(
    v.product_id::text || '|'
    || to_char(v.valid_from at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')
  ) as dbt_scd_id,
  v.valid_from as dbt_valid_from,
  v.valid_to as dbt_valid_to,
  v.valid_from as dbt_updated_at
from product_versions as v;

-- Point in time: the latest version starting at or before `at` (the table's key).
create or replace function price_at(p_product_id bigint, p_at timestamptz)
returns table (
  product_id bigint, state text, price numeric, category text,
  valid_from timestamptz, valid_to timestamptz, event_id uuid
)
language sql stable as $$
  select p_product_id,
         case when h.product_id is null then 'did_not_exist'
              when h.is_deleted then 'discontinued'
              else 'active' end,
         case when not h.is_deleted then h.price end,
         case when not h.is_deleted then h.category end,
         h.valid_from, h.valid_to, h.event_id
  from (select 1) as one
  left join lateral (
    select v.product_id, v.is_deleted, v.price, v.category, v.valid_from, v.valid_to, v.event_id
    from product_versions as v
    where v.product_id = p_product_id and v.valid_from <= p_at
    order by v.valid_from desc
    limit 1
  ) as h on h.valid_to is null or h.valid_to > p_at
$$;

-- line_status (0011) in the order the table had: seq, status, reason, event_date.
drop view line_status;

create view line_status as
with judged as (
  select coalesce(max(r.watermark_to), 0) as watermark
  from pipeline_runs as r
  where r.status in ('running', 'succeeded')
)

select  -- noqa: ST06
  s.seq,
  coalesce(e.status, 'accepted') as status,
  e.reason,
  case when s.is_json then s.event_date end as event_date
from stg_events as s
left join line_exceptions as e on s.seq = e.seq
where s.seq <= (select j.watermark from judged as j);
