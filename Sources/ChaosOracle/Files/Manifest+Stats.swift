import ExportFormat
import Foundation

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
