import CLibPQ
import Logging

/// Routes server notices (`NOTICE`, `WARNING`, …) to the logger.
final class NoticeSink {
  let logger: Logger

  init(logger: Logger) { self.logger = logger }

  func receive(_ result: OpaquePointer) {
    let severity =
      PQresultErrorField(result, Int32(UInt8(ascii: "V"))).map { String(cString: $0) } ?? "NOTICE"
    let message =
      PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) } ?? ""
    let level: Logger.Level =
      switch severity {
      case "WARNING": .warning
      case "DEBUG": .debug
      case "LOG", "INFO": .info
      default: .notice
      }
    logger.log(level: level, "\(severity): \(message)")
  }
}
