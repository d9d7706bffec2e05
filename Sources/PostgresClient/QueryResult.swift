/// The rows of a statement's result, as the server's text (NULL as `nil`), read through
/// typed accessors that throw, naming the column, instead of trapping.
public struct QueryResult: Sendable {
  /// The result's column names, in order.
  public var columns: [String]
  public var rows: [Row]

  /// The single value of a one-row, one-column result, as text.
  public var scalar: String? { rows.first?.values.first ?? nil }

  /// The one row of a result that must have exactly one.
  public func singleRow() throws -> Row {
    guard rows.count == 1 else {
      throw PostgresError(
        kind: .unexpectedResult, message: "expected one row, got \(rows.count)")
    }
    return rows[0]
  }

  /// The integer value of a one-row, one-column result.
  public func scalarInt64() throws -> Int64 { try singleRow().int64(0) }

  /// One row of a result.
  public struct Row: Sendable, Hashable {
    /// Column names, shared by every row of the result.
    public let columns: [String]
    /// The values as the server's text, NULL as `nil`.
    public let values: [String?]

    public init(columns: [String], values: [String?]) {
      self.columns = columns
      self.values = values
    }

    /// The text of column `index`; throws when it is NULL.
    public func string(_ index: Int) throws -> String {
      guard let text = try optionalString(index) else { throw failure(index, "text", nil) }
      return text
    }

    /// The text of column `index`, `nil` for NULL.
    public func optionalString(_ index: Int) throws -> String? {
      guard values.indices.contains(index) else {
        throw PostgresError(
          kind: .unexpectedResult,
          message: "no column \(index) in a result of \(values.count) column(s)")
      }
      return values[index]
    }

    /// An `int2`/`int4`/`int8` (or exact-integer `numeric`) column; throws for NULL.
    public func int64(_ index: Int) throws -> Int64 {
      guard let value = try optionalInt64(index) else {
        throw failure(index, "an integer", nil)
      }
      return value
    }

    /// An integer column, `nil` for NULL; throws when the text is not an `Int64`.
    public func optionalInt64(_ index: Int) throws -> Int64? {
      guard let text = try optionalString(index) else { return nil }
      guard let value = Int64(text) else { throw failure(index, "an integer", text) }
      return value
    }

    /// An integer column as `Int`.
    public func int(_ index: Int) throws -> Int { Int(try int64(index)) }

    /// A `boolean` column (`t`/`f`); throws for NULL.
    public func bool(_ index: Int) throws -> Bool {
      switch try optionalString(index) {
      case "t": return true
      case "f": return false
      case let other: throw failure(index, "a boolean", other)
      }
    }

    /// The index of the column named `name`.
    public func index(of name: String) throws -> Int {
      guard let index = columns.firstIndex(of: name) else {
        throw PostgresError(
          kind: .unexpectedResult,
          message: "no column '\(name)' (columns: \(columns.joined(separator: ", ")))")
      }
      return index
    }

    private func failure(_ index: Int, _ expected: String, _ found: String?) -> PostgresError {
      let name = columns.indices.contains(index) ? " (\(columns[index]))" : ""
      let shown = found.map { "'\($0.prefix(40))'" } ?? "NULL"
      return PostgresError(
        kind: .unexpectedResult,
        message: "column \(index)\(name): expected \(expected), got \(shown)")
    }
  }
}
