-- Each item on sale now: its latest price and category, and when it last changed. An
-- item whose latest event is a discontinuation is left out (the snapshot records it as
-- deleted).
with ordered as (
    select
        *,
        row_number() over (partition by sku order by changed_at desc, event_id desc) as recency
    from {{ ref('stg_catalog_events') }}
),

latest as (
    select sku, event_type, changed_at
    from ordered
    where recency = 1
),

prices as (
    select distinct on (sku) sku, unit_price
    from {{ ref('stg_catalog_events') }}
    where unit_price is not null
    order by sku, changed_at desc, event_id desc
),

categories as (
    select distinct on (sku) sku, product_category
    from {{ ref('stg_catalog_events') }}
    where event_type = 'product_created' and product_category is not null
    order by sku, changed_at desc, event_id desc
)

select
    latest.sku,
    prices.unit_price,
    categories.product_category,
    latest.changed_at
from latest
inner join prices on latest.sku = prices.sku
inner join categories on latest.sku = categories.sku
where latest.event_type <> 'product_discontinued'
