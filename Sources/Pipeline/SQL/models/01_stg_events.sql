-- staging: every raw line past the watermark, judged by the parsing rules.
-- Fields come from raw_events.tokens (each JSON token as written), so forms jsonb would
-- normalise (1e3, 7.0) are still seen as written.
insert into stg_events (
  seq, is_json, event_id, event_type, event_time, event_date, product_id, order_id,
  price_cents, category, quantity, content_reason)
with fresh as (
  select r.*, coalesce(r.tokens->>'schema_version' = '2', false) as v2
  from raw_events r, run_context c
  where r.seq > c.watermark_from and r.seq <= c.watermark_to
),

fields as (
  select
    seq,
    is_json,
    case when is_json and event_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
      then event_id::uuid end as event_id,
    case when is_json and event_type in (
        'product_created', 'price_updated', 'product_discontinued', 'order_placed', 'inventory_error')
      then event_type end as event_type,
    case
      when not is_json then null
      when left(tokens->>'event_timestamp', 1) = '"' then parse_event_timestamp(event_timestamp)
      when tokens->>'event_timestamp' ~ '^-?(0|[1-9][0-9]{0,14})$'
        and (tokens->>'event_timestamp')::bigint between -62135596800000 and 253402300799999
        then timestamptz '1970-01-01 00:00:00+00'
          + (tokens->>'event_timestamp')::bigint * interval '1 millisecond'
    end as event_time,
    -- product ids: a JSON integer from 1 to 2^63-1 (v1 reads id, v2 product_id)
    case when tokens->>(case when v2 then 'product_id' else 'id' end) ~ '^[1-9][0-9]{0,18}$'
        and (tokens->>(case when v2 then 'product_id' else 'id' end))::numeric <= 9223372036854775807
      then (tokens->>(case when v2 then 'product_id' else 'id' end))::bigint end as product_id,
    nullif(json_string_value(tokens->>'order_id'), '') as order_id,
    case when tokens->>'quantity' ~ '^[1-9][0-9]{0,9}$' and (tokens->>'quantity')::bigint <= 2147483647
      then (tokens->>'quantity')::integer end as quantity,
    nullif(json_string_value(tokens->>'category'), '') as category,
    v2,
    -- the price token the event type reads, and the currency (v2)
    tokens->>(case
      when event_type = 'product_created' then case when v2 then 'price_cents' else 'price' end
      when event_type = 'price_updated' then case when v2 then 'new_price_cents' else 'new_price' end
    end) as price_token,
    tokens->>'currency' as currency_token
  from fresh
),

priced as (
  select
    f.*,
    case
      when f.v2 then
        case when (f.currency_token is null or json_string_value(f.currency_token) = 'USD')
            and f.price_token ~ '^-?(0|[1-9][0-9]{0,11})$'
            and abs(f.price_token::numeric) < 1000000000000
          then f.price_token::bigint end
      -- v1: a number without exponent, or a numeric string of that form, worth whole cents
      when left(f.price_token, 1) = '"' then decimal_price_cents(json_string_value(f.price_token))
      else decimal_price_cents(f.price_token)
    end as price_cents
  from fields f
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
    when event_type in ('product_created', 'price_updated') and price_cents is null then 'unparseable_price'
    when event_type in ('product_created', 'price_updated') and price_cents < 0 then 'negative_price'
    when event_type = 'product_created' and category is null then 'null_category'
    when event_type = 'order_placed' and quantity is null then 'invalid_quantity'
  end
from priced;
