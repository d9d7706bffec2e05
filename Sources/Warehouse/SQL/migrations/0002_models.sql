-- Tables the transform models fill. Every model's work is keyed by product_id (history,
-- sales, volatility), event_id (groups), order_id (rule 12) or seq (statuses), so it can be
-- partitioned by product should raw outgrow one server.

create extension if not exists btree_gist;

-- Staging: one row per raw line, every field judged by the parsing rules.
create table stg_events (
  seq            bigint primary key,
  is_json        boolean     not null,
  event_id       uuid,                 -- null: missing or not a UUID
  event_type     text,                 -- null: not one of the five names
  event_time     timestamptz,          -- null: missing or unparseable
  event_date     date,                 -- null: unknown (malformed or bad timestamp)
  product_id     bigint,
  order_id       text,
  price_cents    bigint,
  category       text,
  quantity       integer,
  content_reason text,                 -- the first of rules 4-11 the line fails, if any
  identity       jsonb                 -- the envelope as jsonb compares it (for rule 3)
);
create index stg_events_event_id on stg_events (event_id);
create index stg_events_product on stg_events (product_id, event_time);
create index stg_events_order on stg_events (order_id);

-- Rules 1-3 per event_id: the first line and whether the group holds different envelopes.
create table event_groups (
  event_id    uuid    primary key,
  first_seq   bigint  not null,
  conflicting boolean not null
);

-- Rule 12: the order kept for each order_id.
create table order_winners (
  order_id text   primary key,
  seq      bigint not null
);

-- Rule 13 for state events (set by the history model).
create table state_event_orphans (
  seq bigint primary key
);

create table line_status (
  seq        bigint primary key,
  status     text   not null check (status in ('accepted', 'duplicate', 'invalid')),
  reason     text   check ((status = 'invalid') = (reason is not null)),
  event_date date
);

create table product_history (
  product_id     bigint         not null,
  version        integer        not null,
  price          numeric(14, 2) not null,
  category       text           not null,
  is_deleted     boolean        not null,
  valid_from     timestamptz    not null,
  valid_to       timestamptz,
  event_id       uuid           not null,
  -- dbt snapshot columns, so BI queries written against the dbt snapshot keep working
  dbt_scd_id     text           not null,  -- md5 of product_id and valid_from, as dbt builds it
  dbt_valid_from timestamptz    generated always as (valid_from) stored,
  dbt_valid_to   timestamptz    generated always as (valid_to) stored,
  dbt_updated_at timestamptz    generated always as (valid_from) stored,
  primary key (product_id, version),
  check (valid_to is null or valid_from < valid_to),
  exclude using gist (product_id with =, tstzrange(valid_from, valid_to) with &&)
    deferrable initially deferred
);
create unique index product_history_one_current on product_history (product_id) where valid_to is null;

create table mart_data_quality_daily (
  event_date date,   -- null: the unknown date
  delivered  bigint not null,
  accepted   bigint not null,
  duplicates bigint not null,
  invalid    bigint not null,
  error_rate numeric(6, 4),
  malformed_json bigint not null, invalid_event_id bigint not null,
  conflicting_duplicate bigint not null, unknown_event_type bigint not null,
  bad_timestamp bigint not null, inventory_error bigint not null,
  missing_product_id bigint not null, missing_order_id bigint not null,
  unparseable_price bigint not null, negative_price bigint not null,
  null_category bigint not null, invalid_quantity bigint not null,
  duplicate_order bigint not null, orphan_event bigint not null
);
create unique index mart_data_quality_daily_date on mart_data_quality_daily (coalesce(event_date, 'infinity'));

create table mart_price_volatility (
  product_id     bigint primary key,
  price_versions integer        not null,
  min_price      numeric(14, 2) not null,
  max_price      numeric(14, 2) not null,
  price_range    numeric(14, 2) not null,
  last_change_at timestamptz    not null
);

create table mart_sales_daily (
  event_date date           not null,
  product_id bigint         not null,
  orders     bigint         not null,
  units      bigint         not null,
  revenue    numeric(24, 2) not null,
  primary key (event_date, product_id)
);

create table pipeline_runs (
  run_id         bigint generated always as identity primary key,
  started_at     timestamptz not null default clock_timestamp(),
  finished_at    timestamptz,
  full_refresh   boolean     not null,
  watermark_from bigint      not null,
  watermark_to   bigint      not null,
  lines_read     bigint,
  products_rebuilt bigint,
  status         text        not null default 'running'
);

create table data_test_results (
  run_id   bigint  not null references pipeline_runs,
  test     text    not null,
  severity text    not null check (severity in ('warn', 'error')),
  failures bigint  not null,
  passed   boolean not null,
  primary key (run_id, test)
);

-- Point in time: the version of a product holding `at`, or why there is none.
create function price_at(p_product_id bigint, p_at timestamptz)
returns table (product_id bigint, state text, price numeric, category text,
               valid_from timestamptz, valid_to timestamptz, event_id uuid)
language sql stable as $$
  select p_product_id,
         case when h.product_id is null then 'did_not_exist'
              when h.is_deleted then 'discontinued'
              else 'active' end,
         case when not h.is_deleted then h.price end,
         case when not h.is_deleted then h.category end,
         h.valid_from, h.valid_to, h.event_id
  from (select 1) as one
  left join product_history h
    on h.product_id = p_product_id and tstzrange(h.valid_from, h.valid_to) @> p_at
$$;
