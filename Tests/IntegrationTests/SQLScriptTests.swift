import Foundation
import PostgresClient
import Testing

@testable import Warehouse

/// Migrations run one statement at a time (Citus refuses DDL on a sharded table sent with
/// other commands): a script is cut where psql cuts it, and nowhere else.
@Suite("SQL scripts cut into statements as psql cuts them")
struct SQLScriptTests {
  @Test(
    "a semicolon ends a statement only outside literals, identifiers, bodies and comments",
    arguments: [
      ("select 1; select 2;", ["select 1", "select 2"]),
      ("select 1;\n  select 2", ["select 1", "select 2"]),  // the last needs no semicolon
      (";;  ;\n", []),
      ("-- only a comment; here\n/* and; another */", []),
      ("select 1 -- a comment; not an end\n;", ["select 1 -- a comment; not an end"]),
      (
        "select /* a; /* nested; */ still; */ 1; select 2",
        [
          "select /* a; /* nested; */ still; */ 1", "select 2",
        ]
      ),
      ("select 'it''s; one'; select 2", ["select 'it''s; one'", "select 2"]),
      (#"select E'a\'; b'; select 2"#, [#"select E'a\'; b'"#, "select 2"]),
      (#"select 'a\'; select 2"#, [#"select 'a\'"#, "select 2"]),  // no E: \ is a byte
      // In an E'' literal a doubled quote does not end it: the backslash after it escapes.
      (#"select E'x''\'; y'; select 2"#, [#"select E'x''\'; y'"#, "select 2"]),
      (#"select "odd;name" from t; select 2"#, [#"select "odd;name" from t"#, "select 2"]),
      (
        "create function f() returns int language sql as $$ select 1; $$; select 2",
        [
          "create function f() returns int language sql as $$ select 1; $$", "select 2",
        ]
      ),
      (
        "do $body$ begin perform 1; end $body$; select $x$;$x$",
        [
          "do $body$ begin perform 1; end $body$", "select $x$;$x$",
        ]
      ),
      ("do $a$ select $$;$$; $a$; select 2", ["do $a$ select $$;$$; $a$", "select 2"]),
      ("prepare p as select $1; execute p(1)", ["prepare p as select $1", "execute p(1)"]),
      ("select 1 as a$b; select 2", ["select 1 as a$b", "select 2"]),
      ("select 'é;'; select '€'", ["select 'é;'", "select '€'"]),
      ("select 'unterminated; select 2", ["select 'unterminated; select 2"]),
    ])
  func cuts(script: String, statements: [String]) throws {
    #expect(try SQLScript(script).statements == statements)
  }

  @Test("an SQL-standard function body is refused rather than cut inside")
  func refusesBeginAtomic() throws {
    #expect(throws: SQLScript.Unsupported.self) {
      try SQLScript(
        "create function f() returns int language sql begin atomic select 1; end; select 2")
    }
    // `begin` alone, as in a transaction, is a statement like any other.
    #expect(try SQLScript("begin; select 1; commit").statements == ["begin", "select 1", "commit"])
  }

  @Test("every bundled migration leaves the same schema cut into statements as sent whole")
  func bundledMigrationsCutAlike() throws {
    let whole = try TestDatabase(migrated: false)
    let cut = try TestDatabase(migrated: false)
    for migration in try Schema.migrations() {
      try whole.connection.transaction { try whole.connection.executeScript(migration.sql) }
      try cut.connection.transaction {
        for statement in try SQLScript(migration.sql).statements {
          try cut.connection.executeScript(statement)
        }
      }
    }
    let schema = try catalog(whole.connection)
    #expect(schema.count > 50, "the catalog query reads the schema")
    #expect(try catalog(cut.connection) == schema)
  }

  /// The chaoslake schema's relations, columns, indexes, constraints, views, functions and
  /// triggers, one line each, in a fixed order.
  private func catalog(_ connection: Connection) throws -> [String] {
    try connection.execute(
      """
      select format('%s %s', c.relkind, c.relname)
      from pg_class as c where c.relnamespace = 'chaoslake'::regnamespace
      union all
      select format('column %s.%s %s %s', c.relname, a.attname,
        format_type(a.atttypid, a.atttypmod), a.attnotnull)
      from pg_attribute as a join pg_class as c on c.oid = a.attrelid
      where c.relnamespace = 'chaoslake'::regnamespace and a.attnum > 0 and not a.attisdropped
      union all
      select indexdef from pg_indexes where schemaname = 'chaoslake'
      union all
      select format('constraint %s %s', conname, pg_get_constraintdef(oid))
      from pg_constraint where connamespace = 'chaoslake'::regnamespace
      union all
      select format('view %s %s', viewname, definition) from pg_views
      where schemaname = 'chaoslake'
      union all
      select format('function %s %s', p.oid::regprocedure, md5(p.prosrc))
      from pg_proc as p where p.pronamespace = 'chaoslake'::regnamespace
      union all
      select format('trigger %s %s', t.tgname, pg_get_triggerdef(t.oid))
      from pg_trigger as t join pg_class as c on c.oid = t.tgrelid
      where c.relnamespace = 'chaoslake'::regnamespace and not t.tgisinternal
      order by 1
      """
    ).rows.map { try $0.string(0) }
  }
}
