-- staging: every raw line past the watermark, judged by the parsing rules.
-- Fields come from raw_events.tokens (each JSON token as written), so forms jsonb would
-- normalise (1e3, 7.0) are still seen as written.
insert into stg_events (
  seq, is_json, event_id, event_type, event_time, event_date, product_id, order_id,
  price_cents, category, quantity, content_reason)
with fresh as (
  -- the tokens, unpacked once per line
  select
    r.seq, r.is_json, r.event_id, r.event_type, r.event_timestamp,
    t.event_timestamp as event_timestamp_token, t.id as id_token,
    t.product_id as product_id_token, t.price as v1_price_token, t.new_price as v1_new_price_token,
    t.price_cents as price_cents_token, t.new_price_cents as new_price_cents_token,
    t.currency as currency_token, t.category as category_token, t.order_id as order_id_token,
    t.quantity as quantity_token, coalesce(t.schema_version = '2', false) as v2
  from raw_events as r
  cross join lateral jsonb_to_record(coalesce(r.tokens, '{}')) as t(
    event_timestamp text, schema_version text, id text, product_id text, price text,
    new_price text, price_cents text, new_price_cents text, currency text, category text,
    order_id text, quantity text)
  -- scalar bounds, so the planner ranges over the primary key
  where r.seq > (select rc.watermark_from from run_context as rc)
    and r.seq <= (select rc.watermark_to from run_context as rc)
),

fields as materialized (  -- computed once per line, however often used below
  select
    seq,
    is_json,
    case when is_json
      and event_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
      then event_id::uuid end as event_id,
    case when is_json and event_type in (
        'product_created', 'price_updated', 'product_discontinued', 'order_placed',
        'inventory_error')
      then event_type end as event_type,
    case
      when not is_json then null
      when left(event_timestamp_token, 1) = '"' then parse_event_timestamp(event_timestamp)
      else epoch_millis_timestamp(event_timestamp_token)
    end as event_time,
    -- product ids: a JSON integer from 1 to 2^63-1 (v1 reads id, v2 product_id). Casts
    -- only ever see text the pattern has bounded, so no token can make them raise.
    bounded_integer(
      case when v2 then product_id_token else id_token end, '9223372036854775807'
    ) as product_id,
    nullif(json_string_value(order_id_token), '') as order_id,
    bounded_integer(quantity_token, '2147483647')::integer as quantity,
    nullif(json_string_value(category_token), '') as category,
    v2,
    -- the price token the event type reads, and the currency (v2)
    case
      when event_type = 'product_created'
        then case when v2 then price_cents_token else v1_price_token end
      when event_type = 'price_updated'
        then case when v2 then new_price_cents_token else v1_new_price_token end
    end as price_token,
    currency_token
  from fresh
),

priced as materialized (
  select
    f.*,
    case
      when f.v2 then
        case when (f.currency_token is null or json_string_value(f.currency_token) = 'USD')
            and f.price_token ~ '^-?(0|[1-9][0-9]{0,11})$'  -- below 10^12 cents
          then f.price_token::bigint end
      -- v1: a number without exponent, or a numeric string of that form, worth whole cents
      when left(f.price_token, 1) = '"' then decimal_price_cents(json_string_value(f.price_token))
      else decimal_price_cents(f.price_token)
    end as price_cents
  from fields as f
)

select
  seq, is_json, event_id, event_type, event_time, (event_time at time zone 'UTC')::date,
  product_id, order_id, price_cents, category, quantity,
  case
    when event_type is null then 'unknown_event_type'
    when event_time is null then 'bad_timestamp'
    when event_type = 'inventory_error' then 'inventory_error'
    when product_id is null then 'missing_product_id'
    when event_type = 'order_placed' and order_id is null then 'missing_order_id'
    when event_type in ('product_created', 'price_updated') and price_cents is null
      then 'unparseable_price'
    when event_type in ('product_created', 'price_updated') and price_cents < 0
      then 'negative_price'
    when event_type = 'product_created' and category is null then 'null_category'
    when event_type = 'order_placed' and quantity is null then 'invalid_quantity'
  end
from priced;

-- Fresh statistics for the models that follow (bulk loads leave them stale).
do $$
begin
  -- Only when this run changed a good part of the table: analyze samples a fixed number of
  -- rows, a cost a small incremental run should not pay.
  if (select watermark_to - watermark_from from run_context) * 10
       >= (select greatest(reltuples, 0) from pg_class where oid = 'stg_events'::regclass) then
    analyze stg_events;
  end if;
end;
$$;
