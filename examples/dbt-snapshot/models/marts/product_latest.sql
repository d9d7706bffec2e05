-- Each product's latest price and category: what the snapshot tracks.
with latest_price as (
    select distinct on (product_id)
        product_id,
        price,
        event_timestamp as updated_at
    from {{ ref('stg_price_events') }}
    order by product_id, event_timestamp desc, event_id desc
),

latest_category as (
    select distinct on (product_id)
        product_id,
        category
    from {{ ref('stg_price_events') }}
    where event_type = 'product_created' and category is not null
    order by product_id, event_timestamp desc, event_id desc
)

select
    latest_price.product_id,
    latest_price.price,
    latest_category.category,
    latest_price.updated_at
from latest_price
inner join latest_category on latest_price.product_id = latest_category.product_id
