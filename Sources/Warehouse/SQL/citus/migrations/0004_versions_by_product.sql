-- price_at (migration 0012) as PL/pgSQL: Citus plans no parameterized call of an SQL
-- function that reads a sharded table. The version is read with the product's key, a
-- query Citus routes to the product's one shard; the answer is the same.
create or replace function price_at(p_product_id bigint, p_at timestamptz)
returns table (
  product_id bigint, state text, price numeric, category text,
  valid_from timestamptz, valid_to timestamptz, event_id uuid
)
language plpgsql stable
-- Citus sends the instant to the worker as text, written in the caller's DateStyle and read
-- in the worker's: ISO reads the same in every DateStyle ("15/01/2026" does not)
set datestyle = 'ISO, MDY'
as $$
declare
  found_version record;
begin
  select v.product_id, v.is_deleted, v.price, v.category, v.valid_from, v.valid_to, v.event_id
  into found_version
  from product_versions as v
  where v.product_id = p_product_id and v.valid_from <= p_at
  order by v.valid_from desc
  limit 1;
  if found_version.valid_to <= p_at then
    found_version := null;  -- it ended before: no version holds the instant
  end if;
  return query select
    p_product_id,
    case
      when found_version.product_id is null then 'did_not_exist'
      when found_version.is_deleted then 'discontinued'
      else 'active'
    end,
    case when not found_version.is_deleted then found_version.price end,
    case when not found_version.is_deleted then found_version.category end,
    found_version.valid_from,
    found_version.valid_to,
    found_version.event_id;
end;
$$;

-- The versions are sharded by product_id, the key every reader looks them up by
-- (price_at, the export, a run's touched products). Not co-located with the line tables,
-- which are sharded by seq: no query joins the two on a shared key.
select create_distributed_table('product_versions', 'product_id', colocate_with => 'none');
