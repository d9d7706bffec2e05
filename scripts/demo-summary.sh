#!/usr/bin/env bash
# make demo: the closing summary.
set -euo pipefail
bin=$1
out=$2
url=$("$bin" db url)
echo
echo "== summary"
psql -q "$url" -P footer=off -c "
  select status, count(*) as lines from chaoslake.line_status group by status order by lines desc" -c "
  select reason as top_reasons, count(*) as lines from chaoslake.line_status where reason is not null
  group by reason order by lines desc limit 5" -c "
  select count(*) as history_versions, count(distinct product_id) as products,
         count(*) filter (where is_deleted) as tombstones from chaoslake.product_history"
verdict="matches"
for f in status history quality_daily volatility sales_daily; do
  cmp -s "$out/oracle/$f.csv" "$out/postgres/$f.csv" || verdict="DIFFERS in $f.csv"
done
echo "verification: PostgreSQL export $verdict the oracle's prediction (all five files)"
memory="matches"
for f in status history quality_daily volatility sales_daily; do
  cmp -s "$out/oracle/$f.csv" "$out/memory/$f.csv" || memory="DIFFERS in $f.csv"
done
echo "verification: memory engine output $memory the oracle's prediction"
product=$(psql -qAt "$url" -c "select product_id from chaoslake.mart_price_volatility order by price_versions desc limit 1")
echo "point in time: what was the price of product $product on 2026-01-15 at 15:00?"
"$bin" price-at --product "$product" --at "2026-01-15T15:00:00Z"
echo
echo "files: $out/ (oracle, postgres, memory); database: $url"
echo "stop the demo cluster with: CHAOSLAKE_HOME=$CHAOSLAKE_HOME $bin db destroy"
[ "$verdict" = "matches" ] && [ "$memory" = "matches" ]
