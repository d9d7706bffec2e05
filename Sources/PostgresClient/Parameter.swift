/// A value passed to a parameterized statement. Data only ever travels this way or by COPY:
/// no SQL is assembled from it.
public enum Parameter: Sendable, Hashable {
  case text(String)
  case bytes([UInt8])
  case null

  /// An integer, sent as its decimal text.
  public static func int(_ value: some BinaryInteger) -> Parameter { .text(String(value)) }

  /// A boolean, sent as `true` or `false`.
  public static func bool(_ value: Bool) -> Parameter { .text(value ? "true" : "false") }
}
