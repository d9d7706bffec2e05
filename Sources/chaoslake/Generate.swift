import ArgumentParser
import ChaosOracle
import ExportFormat
import Foundation

struct Generate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Writes a seeded chaos event stream (JSONL) and, optionally, the oracle's prediction.",
    discussion: """
      The same seed and options give byte-identical output on every machine. Profiles: \
      \(ChaosProfile.presetNames.joined(separator: ", ")), or a YAML file (see the README, "Faults").
      """)

  @Option(help: "Root seed of every random choice.") var seed: UInt64
  @Option(help: "Number of delivered lines.") var events: Int
  @Option(help: "Products in the simulated catalog.") var products = 50
  @Option(help: "Simulated days, from 2026-01-01T00:00:00Z.") var days = 30
  @Option(help: "Chaos profile: a preset name or a YAML file.") var profile = "default"
  @Flag(help: "Keep a random subset of the profile's faults, chosen by the seed.")
  var swarm = false
  @Option(help: "Write the stream here instead of stdout.") var out: String?
  @Option(
    name: .customLong("oracle-dir"),
    help: "Write the oracle's five export files, faults.csv and manifest.yaml here.")
  var oracleDir: String?
  @Flag(help: "Print counts per fault kind and per status on stderr.") var stats = false

  func validate() throws {
    guard events >= 0 else { throw ValidationError("--events must be >= 0") }
    guard products >= 1 else { throw ValidationError("--products must be >= 1") }
    // Generated times start at 2026-01-01 and must stay inside years 1-9999.
    guard (1...GeneratorOptions.maxDays).contains(days) else {
      throw ValidationError("--days must be from 1 to \(GeneratorOptions.maxDays)")
    }
  }

  func run() throws {
    var chaos = try ChaosProfile.resolve(profile)
    if swarm { chaos = chaos.swarm(seed: seed) }
    let options = GeneratorOptions(
      seed: seed, events: events, products: products, days: days, profile: chaos)
    let needsOracle = oracleDir != nil || stats
    if let oracleDir { try ExportWriter.createDirectory(oracleDir) }
    let stream = try OutputFile(path: out)
    let faultLog = try oracleDir.map { try OutputFile(path: $0 + "/faults.csv") }
    faultLog?.write(CSV.record(["line", "kind", "detail"]))
    var truths: [LineTruth] = []
    if needsOracle { truths.reserveCapacity(events) }
    var faultCounts: [FaultKind: Int] = [:]
    var line = 0
    var generator = StreamGenerator(options: options)
    let newline: [UInt8] = [0x0A]
    while let delivery = generator.next() {
      line += 1
      stream.write(delivery.bytes)
      stream.write(newline)
      if needsOracle { truths.append(delivery.truth) }
      // counted only for --stats: a dictionary keyed by the fault hashes its name
      if stats { for fault in delivery.faults { faultCounts[fault.kind, default: 0] += 1 } }
      if let faultLog {
        for fault in delivery.faults {
          faultLog.write(CSV.record([String(line), fault.kind.rawValue, fault.detail]))
        }
      }
    }
    try stream.close()
    try faultLog?.close()
    guard needsOracle else { return }
    let prediction = Oracle.predict(truths)
    if let oracleDir {
      try ExportWriter.write(prediction, to: oracleDir)
      let manifest = try OutputFile(path: oracleDir + "/manifest.yaml")
      manifest.write(Manifest.text(options: options, profileArgument: profile, swarm: swarm))
      try manifest.close()
    }
    if stats {
      FileHandle.standardError.write(
        Data(Stats.text(options: options, faults: faultCounts, prediction: prediction).utf8))
    }
  }
}

/// `manifest.yaml`: how an oracle directory was produced.
enum Manifest {
  static func text(options: GeneratorOptions, profileArgument: String, swarm: Bool) -> String {
    var text = "generator_version: \(generatorVersion)\n"
    text += "seed: \(options.seed)\nevents: \(options.events)\n"
    text += "products: \(options.products)\ndays: \(options.days)\n"
    text += "start: \(options.start.exportText)\n"
    text += "profile: \(profileArgument)\nswarm: \(swarm)\n"
    text += "effective_profile:\n"
    text += options.profile.yamlText.split(separator: "\n").map { "  " + $0 + "\n" }.joined()
    return text
  }
}

/// The `--stats` report.
enum Stats {
  static func text(
    options: GeneratorOptions, faults: [FaultKind: Int], prediction: ExportFiles
  ) -> String {
    var text = "faults (lines touched), profile \(options.profile.name):\n"
    let kinds = FaultKind.allCases.filter { options.profile.rate($0) > 0 || faults[$0] != nil }
    for kind in kinds {
      text +=
        "  " + kind.rawValue.padding(toLength: 28, withPad: " ", startingAt: 0)
        + String(faults[kind] ?? 0) + "\n"
    }
    var byStatus: [String: Int] = [:]
    var byReason: [ReasonCode: Int] = [:]
    for row in prediction.statuses {
      byStatus[row.status.name, default: 0] += 1
      if let reason = row.status.reason { byReason[reason, default: 0] += 1 }
    }
    text += "statuses (oracle), \(prediction.statuses.count) lines:\n"
    for name in ["accepted", "duplicate", "invalid"] {
      text +=
        "  " + name.padding(toLength: 28, withPad: " ", startingAt: 0)
        + String(byStatus[name] ?? 0) + "\n"
    }
    for reason in ReasonCode.allCases {
      text +=
        "    " + reason.rawValue.padding(toLength: 26, withPad: " ", startingAt: 0)
        + String(byReason[reason] ?? 0) + "\n"
    }
    text += "history versions: \(prediction.history.count)\n"
    return text
  }
}
