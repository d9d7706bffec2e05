import ExportFormat
import Foundation

/// Writing a generated stream and, on request, the oracle's files beside it: what
/// `chaoslake generate` does, as a library call.
package enum GeneratedStream {
  /// Writes the lines `options` generate to `stream`, one per `\n`. With `oracleDirectory`,
  /// writes there the oracle's five export files, `faults.csv` and `manifest.yaml`
  /// (`profileArgument` and `swarm` are recorded as given). With `stats`, returns the
  /// counts per fault kind and per status as text; else `nil`.
  ///
  /// Memory stays flat without the oracle; with it, one small record per line is kept.
  package static func write(
    _ options: GeneratorOptions, profileArgument: String, swarm: Bool, to stream: OutputFile,
    oracleDirectory: String?, stats: Bool
  ) throws -> String? {
    let needsOracle = oracleDirectory != nil || stats
    if let oracleDirectory { try ExportFiles.createDirectory(oracleDirectory) }
    let faultLog = try oracleDirectory.map { try OutputFile(path: $0 + "/faults.csv") }
    faultLog?.write(CSV.record(["line", "kind", "detail"]))
    var truths: [LineTruth] = []
    if needsOracle { truths.reserveCapacity(options.events) }
    var faultCounts: [FaultKind: Int] = [:]
    var line = 0
    var generator = StreamGenerator(options: options)
    let newline: [UInt8] = [0x0A]
    while let delivery = generator.next() {
      line += 1
      stream.write(delivery.bytes)
      stream.write(newline)
      if needsOracle { truths.append(delivery.truth) }
      // counted only for stats: a dictionary keyed by the fault hashes its name
      if stats { for fault in delivery.faults { faultCounts[fault.kind, default: 0] += 1 } }
      if let faultLog {
        for fault in delivery.faults {
          faultLog.write(CSV.record([String(line), fault.kind.rawValue, fault.detail]))
        }
      }
    }
    try stream.close()
    try faultLog?.close()
    guard needsOracle else { return nil }
    let prediction = Oracle.predict(truths)
    if let oracleDirectory {
      try prediction.write(toDirectory: oracleDirectory)
      let manifest = try OutputFile(path: oracleDirectory + "/manifest.yaml")
      manifest.write(
        Manifest.text(options: options, profileArgument: profileArgument, swarm: swarm))
      try manifest.close()
    }
    return stats ? Stats.text(options: options, faults: faultCounts, prediction: prediction) : nil
  }
}
