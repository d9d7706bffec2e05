-- The test cluster is configured as users' servers are, not as a fresh initdb leaves it,
-- so no model can come to depend on UTC, ISO dates, byte-order collation or our schema
-- on the search_path (issue: "the server settings users really have").

-- A session time zone far from UTC, with a 45-minute offset and daylight saving.
alter system set timezone = 'Pacific/Chatham';
-- Dates written day first, as many European servers do.
alter system set datestyle = 'SQL, DMY';
alter system set intervalstyle = 'sql_standard';
-- chaoslake's schema is not on the default search_path.
alter system set search_path = '"$user", public';
select pg_reload_conf();

-- New databases (each test's, every scratch database) get a linguistic ICU collation
-- instead of C: template1 is rebuilt from template0 with it.
update pg_database set datistemplate = false where datname = 'template1';
drop database template1;
create database template1 template template0 is_template true
  locale_provider icu icu_locale 'en-US' locale 'C.UTF-8';
