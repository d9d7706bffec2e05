-- The price events the original project read: v1 payloads of product_created and
-- price_updated whose id and price are plain numbers. v2 payloads (product_id, price_cents)
-- are not understood, as in the original.
with source as (
    select event_id, event_type, event_timestamp, payload
    from {{ source('chaoslake', 'raw_events_v1') }}
    where
        event_type in ('product_created', 'price_updated')
        and event_timestamp is not null
),

renamed as (
    select
        event_id,
        event_type,
        event_timestamp,
        payload ->> 'id' as product_id_text,
        case
            when event_type = 'product_created' then payload ->> 'price'
            else payload ->> 'new_price'
        end as price_text,
        payload ->> 'category' as category
    from source
)

select
    event_id,
    event_type,
    event_timestamp,
    product_id_text::bigint as product_id,
    price_text::numeric(14, 2) as price,
    category
from renamed
where
    product_id_text ~ '^[0-9]{1,18}$'
    and price_text ~ '^-?[0-9]{1,10}(\.[0-9]+)?$'
