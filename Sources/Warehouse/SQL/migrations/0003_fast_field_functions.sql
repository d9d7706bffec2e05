-- Faster field functions for staging: plain SQL (inlined by the planner), no exception
-- blocks (each one is a subtransaction per row).

-- The contract's timestamp rule. One capture-free regular expression checks the shape (the
-- fast path of PostgreSQL's regex engine); fixed positions give the fields; the calendar
-- is checked arithmetically. plpgsql without exception blocks: no subtransaction per row.
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
    + (substr(body, 18, 2)::bigint * 1000000
       + case when fraction = '' then 0 else rpad(fraction, 6, '0')::bigint end)
      * interval '1 microsecond';
  if zone <> '' then
    local := local - (case left(zone, 1) when '-' then -1 else 1 end)
      * (substr(zone, 2, 2)::int * interval '1 hour' + substr(zone, 5, 2)::int * interval '1 minute');
  end if;
  return local at time zone 'UTC';
end;
$$;

-- The text of a JSON string token (null when the token is not a string).
create function json_string_value(token text) returns text
language sql immutable strict parallel safe as $$
  select case
    when left(token, 1) <> '"' then null
    when strpos(token, '\') = 0 then substr(token, 2, length(token) - 2)
    else token::jsonb #>> '{}'
  end
$$;

-- A v1 price written as a decimal without exponent, in cents when it is worth whole cents
-- and its magnitude is below 10^10 (null otherwise).
create function decimal_price_cents(written text) returns bigint
language sql immutable strict parallel safe as $$
  select case
    when written ~ '^-?(0|[1-9][0-9]*)(\.[0-9]+)?$'
      and written::numeric * 100 = trunc(written::numeric * 100)
      and abs(written::numeric) < 10000000000
    then (written::numeric * 100)::bigint
  end
$$;
