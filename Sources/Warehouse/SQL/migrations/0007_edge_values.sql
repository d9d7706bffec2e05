-- Edge values: every field function is total (returns null, never raises, on any input),
-- exact (integer microseconds and cents, no binary floating point) and independent of the
-- session's TimeZone.

-- Revenue is exact at any magnitude: quantity (up to 2^31-1) times price (up to 10^10 - 0.01)
-- summed over a day does not fit numeric(24, 2).
alter table mart_sales_daily alter column revenue type numeric;

-- The contract's timestamp rule, now also requiring the UTC instant (after the offset) to
-- fall in years 1-9999. Arithmetic is on `timestamp` (no zone) and converted with
-- `at time zone 'UTC'`, so the session's TimeZone never matters.
create or replace function parse_event_timestamp(value text) returns timestamptz
language plpgsql immutable strict parallel safe as $$
declare
  body text := value;
  zone text := '';
  y int;
  mo int;
  d int;
  month_days int;
  fraction text;
  local timestamp;
begin
  if value !~ '^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})?$' then
    return null;
  end if;
  if right(value, 1) = 'Z' then
    body := left(value, -1);
  elsif length(value) >= 25 and substr(value, length(value) - 5, 1) in ('+', '-') then
    zone := right(value, 6);
    body := left(value, -6);
  end if;
  y := substr(body, 1, 4)::int;
  mo := substr(body, 6, 2)::int;
  d := substr(body, 9, 2)::int;
  month_days := case
    when mo in (4, 6, 9, 11) then 30
    when mo <> 2 then 31
    when (y % 4 = 0 and y % 100 <> 0) or y % 400 = 0 then 29
    else 28 end;
  if y < 1 or mo < 1 or mo > 12 or d < 1 or d > month_days
     or substr(body, 12, 2)::int > 23 or substr(body, 15, 2)::int > 59
     or substr(body, 18, 2)::int > 59
     or (zone <> '' and (substr(zone, 2, 2)::int > 23 or substr(zone, 5, 2)::int > 59)) then
    return null;
  end if;
  fraction := substr(body, 21);
  local := make_timestamp(y, mo, d, substr(body, 12, 2)::int, substr(body, 15, 2)::int, 0)
    + make_interval(secs => substr(body, 18, 2)::int)
    + (case when fraction = '' then 0 else rpad(fraction, 6, '0')::int end)
      * interval '1 microsecond';
  if zone <> '' then
    local := local - (case left(zone, 1) when '-' then -1 else 1 end)
      * make_interval(hours => substr(zone, 2, 2)::int, mins => substr(zone, 5, 2)::int);
  end if;
  if local < timestamp '0001-01-01 00:00:00' or local >= timestamp '9999-12-31 00:00:00'
       + interval '1 day' then
    return null;  -- the UTC instant leaves years 1-9999
  end if;
  return local at time zone 'UTC';
end;
$$;

-- A JSON integer of epoch milliseconds within years 1-9999, exactly: whole days plus the
-- milliseconds of the day (below 2^53, so the interval product is exact), on `timestamp`.
create function epoch_millis_timestamp(token text) returns timestamptz
language sql immutable strict parallel safe as $$
  -- Nested cases: the cast runs only on text the pattern has bounded (at most 15 digits).
  select case when token ~ '^-?(0|[1-9][0-9]{0,14})$' then
    case when token::bigint between -62135596800000 and 253402300799999 then (
      timestamp '1970-01-01 00:00:00'
      + make_interval(days => (token::bigint / 86400000)::int)
      + (token::bigint % 86400000) * interval '1 millisecond'
    ) at time zone 'UTC' end
  end
$$;

-- A v1 price written as a decimal without exponent: cents when it is worth whole cents and
-- its magnitude is below 10^10, else null. The shape is checked before any cast, and only
-- the bounded part (at most 10 integer and 2 fraction digits) is cast, so a price string
-- of any length is read without error.
create or replace function decimal_price_cents(written text) returns bigint
language sql immutable strict parallel safe as $$
  select case
    when written ~ '^-?(0|[1-9][0-9]{0,9})(\.[0-9]{1,2}0*)?$'
    then (substring(written from '^-?[0-9]+(?:\.[0-9]{1,2})?')::numeric * 100)::bigint
  end
$$;

-- A JSON integer token from 1 to `maximum` (digits, no sign), else null. Compared as text of
-- equal length before any cast, so a token of any size is read without error.
create function bounded_integer(token text, maximum text) returns bigint
language sql immutable strict parallel safe as $$
  select case
    when token ~ '^[1-9][0-9]*$'
      and (length(token) < length(maximum)
        or (length(token) = length(maximum) and token collate "C" <= maximum collate "C"))
    then token::bigint
  end
$$;
