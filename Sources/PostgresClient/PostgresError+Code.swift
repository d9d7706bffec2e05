extension PostgresError {
  /// A SQLSTATE: five characters whose first two name the class of condition
  /// (PostgreSQL's "Appendix A. Error Codes"). The named ones are those chaoslake reacts
  /// to or tests for; any other code the server sends is kept as it came.
  public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// Two characters: `22` data exception, `23` integrity constraint violation, …
    public var conditionClass: Substring { rawValue.prefix(2) }

    /// Class 22: a value the statement read does not fit (bad input syntax, out of range).
    public var isDataException: Bool { conditionClass == "22" }
    /// Class 54: a value or statement exceeds an implementation limit.
    public var isProgramLimitExceeded: Bool { conditionClass == "54" }
    /// Class 23: a constraint refused the change.
    public var isIntegrityConstraintViolation: Bool { conditionClass == "23" }
    /// Class 08: a connection failed; sent by a server that lost one of its own (a Citus
    /// coordinator whose worker went away).
    public var isConnectionException: Bool { conditionClass == "08" }

    public var description: String { rawValue }

    // Class 22: data exception
    public static let invalidTextRepresentation = Code(rawValue: "22P02")
    public static let numericValueOutOfRange = Code(rawValue: "22003")
    public static let untranslatableCharacter = Code(rawValue: "22P05")
    // Class 23: integrity constraint violation
    public static let notNullViolation = Code(rawValue: "23502")
    public static let foreignKeyViolation = Code(rawValue: "23503")
    public static let uniqueViolation = Code(rawValue: "23505")
    public static let checkViolation = Code(rawValue: "23514")
    public static let exclusionViolation = Code(rawValue: "23P01")
    // Class 3D: invalid catalog name
    public static let invalidCatalogName = Code(rawValue: "3D000")
    // Class 40: transaction rollback
    public static let serializationFailure = Code(rawValue: "40001")
    public static let deadlockDetected = Code(rawValue: "40P01")
    // Class 42: syntax error or access rule violation
    public static let insufficientPrivilege = Code(rawValue: "42501")
    public static let undefinedTable = Code(rawValue: "42P01")
    public static let duplicateDatabase = Code(rawValue: "42P04")
    // Class 54: program limit exceeded
    public static let programLimitExceeded = Code(rawValue: "54000")
    // Class 57: operator intervention
    public static let queryCanceled = Code(rawValue: "57014")
    public static let adminShutdown = Code(rawValue: "57P01")
    // Class XX: internal error
    public static let internalError = Code(rawValue: "XX000")
  }
}
