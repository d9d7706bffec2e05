import Foundation

/// Rates per fault plus the world's behaviour mix: everything that shapes a stream besides
/// seed and size.
public struct ChaosProfile: Sendable, Hashable, CustomStringConvertible {
  /// The preset or file the profile came from, for manifests and messages.
  public var name: String
  /// Probability per eligible event (see `FaultKind`); absent faults are off.
  public var rates: [FaultKind: Double]
  public var mix: WorldMix

  public init(name: String, rates: [FaultKind: Double], mix: WorldMix = WorldMix()) {
    self.name = name
    self.rates = rates
    self.mix = mix
  }

  /// The preset or file it came from.
  public var description: String { name }

  public func rate(_ kind: FaultKind) -> Double { rates[kind] ?? 0 }

  /// Faults with a rate above zero, in declaration order.
  public var enabledFaults: [FaultKind] { FaultKind.allCases.filter { rate($0) > 0 } }

  public static let presetNames = ["none", "default", "heavy", "seed-compatible"]

  /// The `default` preset: about one line in ten rejected.
  public static let `default` = ChaosProfile(name: "default", rates: defaultRates)

  /// A named preset, or `nil`.
  public static func preset(named name: String) -> ChaosProfile? {
    switch name {
    case "none": ChaosProfile(name: "none", rates: [:])
    case "default": .default
    case "heavy":
      ChaosProfile(
        name: "heavy",
        rates: defaultRates.mapValues { min(0.6, $0 * 4) }.merging(edgeRates) { $1 })
    case "seed-compatible":
      ChaosProfile(
        name: "seed-compatible",
        rates: [.doubleEncodedPayload: 1, .naiveTimestamp: 1, .inventoryError: 0.05],
        mix: .seedCompatible)
    default: nil
    }
  }

  private static let defaultRates: [FaultKind: Double] = [
    .exactReplay: 0.02, .conflictingDuplicate: 0.005, .resentOrder: 0.01,
    .unknownEventType: 0.005, .inventoryError: 0.005, .neverCreatedProduct: 0.005,
    .discontinuedProductEvent: 0.005, .sameTimestampTie: 0.01, .orderAtStateInstant: 0.003,
    .orderIDMoved: 0.003, .stateAtEarlierInstant: 0.003,
    .malformedJSON: 0.004, .truncatedJSON: 0.004, .invalidUTF8: 0.002, .nulByte: 0.002,
    .invalidEventID: 0.004, .badTimestamp: 0.005, .missingProductID: 0.004,
    .missingOrderID: 0.005, .unparseablePrice: 0.01, .foreignCurrency: 0.01,
    .negativePrice: 0.01, .nullCategory: 0.05, .invalidQuantity: 0.005,
    .schemaV2: 0.2, .doubleEncodedPayload: 0.3, .naiveTimestamp: 0.1, .offsetTimestamp: 0.1,
    .epochMillisTimestamp: 0.1, .numericStringPrice: 0.1, .extraKeys: 0.05,
    .outOfOrder: 0.05, .lateDelivery: 0.01,
  ]

  /// Values at the edges of their types: rare, and only in `heavy` (and its swarms), so the
  /// default stream stays what users see from real producers.
  private static let edgeRates: [FaultKind: Double] = [
    .extremeMoney: 0.004, .extremeNumber: 0.004, .extremeUnicode: 0.004, .extremeCSV: 0.003,
    .extremeTime: 0.003,
  ]

  /// A random subset of this profile's faults (each kept with probability 1/2, at least
  /// one), chosen from `seed` alone: swarm testing.
  public func swarm(seed: UInt64) -> ChaosProfile {
    var stream = RandomStream(seed: seed, component: "swarm")
    let enabled = enabledFaults
    var kept = enabled.filter { _ in stream.chance(0.5) }
    if kept.isEmpty, !enabled.isEmpty { kept = [stream.pick(enabled)] }
    var subset = self
    subset.name = name + "+swarm"
    subset.rates = rates.filter { kept.contains($0.key) }
    return subset
  }

  /// Resolves `--profile`: a preset name, else a YAML file path.
  public static func resolve(_ nameOrPath: String) throws -> ChaosProfile {
    if let preset = preset(named: nameOrPath) { return preset }
    guard FileManager.default.fileExists(atPath: nameOrPath) else {
      throw ProfileError(
        "unknown profile '\(nameOrPath)': not a preset (\(presetNames.joined(separator: ", ")))"
          + " nor a readable file")
    }
    let text = try String(contentsOfFile: nameOrPath, encoding: .utf8)
    return try parse(yaml: text, name: nameOrPath)
  }

  /// Parses a profile file:
  ///
  /// ```yaml
  /// base: default          # optional preset to start from (else every fault is off)
  /// faults:                # rate per fault, 0 to 1
  ///   exact_replay: 0.05
  ///   late_delivery: 0
  /// world:                 # optional behaviour switches
  ///   orders: true
  /// ```
  public static func parse(yaml text: String, name: String) throws -> ChaosProfile {
    do {
      var profile = try YAMLFile.decode(ProfileFile.self, from: text, name: name).profile
      profile.name = name
      return profile
    } catch let failure as YAMLFile.Failure {
      throw ProfileError(failure.description)
    }
  }

  /// The profile as a YAML file `parse` reads back (rates in declaration order).
  public var yamlText: String {
    var text = "faults:\n"
    for kind in enabledFaults { text += "  \(kind.rawValue): \(rate(kind))\n" }
    text += "world:\n"
    text += "  orders: \(mix.orders)\n  discontinuations: \(mix.discontinuations)\n"
    text += "  reactivations: \(mix.reactivations)\n  category_changes: \(mix.categoryChanges)\n"
    text += "  republishes: \(mix.republishes)\n"
    return text
  }
}

/// A profile that cannot be used, with a message for the user.
public struct ProfileError: Error, CustomStringConvertible {
  public let description: String
  init(_ description: String) { self.description = description }
}

/// A profile as a YAML mapping (a profile file, or a scenario's `profile:`): every key and
/// fault name checked, so a typo is an error rather than a fault silently left off.
package struct ProfileFile: Decodable, Sendable {
  package var profile = ChaosProfile(name: "", rates: [:])

  enum CodingKeys: String, CodingKey, CaseIterable {
    case base, faults, world
  }

  package init(from decoder: Decoder) throws {
    try decoder.rejectUnknownKeys(CodingKeys.self)
    let container = try decoder.container(keyedBy: CodingKeys.self)
    if let base = try container.decodeIfPresent(String.self, forKey: .base) {
      guard let preset = ChaosProfile.preset(named: base) else {
        throw DecodingError.dataCorruptedError(
          forKey: .base, in: container,
          debugDescription:
            "unknown preset '\(base)'; known: \(ChaosProfile.presetNames.joined(separator: ", "))")
      }
      profile.rates = preset.rates
      profile.mix = preset.mix
    }
    if container.contains(.faults) {
      let faults = try container.nestedContainer(keyedBy: AnyCodingKey.self, forKey: .faults)
      for key in faults.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
        guard let kind = FaultKind(rawValue: key.stringValue) else {
          throw DecodingError.dataCorruptedError(
            forKey: key, in: faults,
            debugDescription:
              "unknown fault; known: \(FaultKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let rate = try faults.decode(Double.self, forKey: key)
        guard (0...1).contains(rate) else {
          throw DecodingError.dataCorruptedError(
            forKey: key, in: faults, debugDescription: "a rate is a number from 0 to 1")
        }
        profile.rates[kind] = rate == 0 ? nil : rate
      }
    }
    if let world = try container.decodeIfPresent(WorldSwitches.self, forKey: .world) {
      world.apply(to: &profile.mix)
    }
  }

  /// The `world:` switches; those left out keep the base's value.
  struct WorldSwitches: Decodable {
    var orders: Bool?
    var discontinuations: Bool?
    var reactivations: Bool?
    var categoryChanges: Bool?
    var republishes: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
      case orders, discontinuations, reactivations
      case categoryChanges = "category_changes"
      case republishes
    }

    init(from decoder: Decoder) throws {
      try decoder.rejectUnknownKeys(CodingKeys.self)
      let container = try decoder.container(keyedBy: CodingKeys.self)
      orders = try container.decodeIfPresent(Bool.self, forKey: .orders)
      discontinuations = try container.decodeIfPresent(Bool.self, forKey: .discontinuations)
      reactivations = try container.decodeIfPresent(Bool.self, forKey: .reactivations)
      categoryChanges = try container.decodeIfPresent(Bool.self, forKey: .categoryChanges)
      republishes = try container.decodeIfPresent(Bool.self, forKey: .republishes)
    }

    func apply(to mix: inout WorldMix) {
      if let orders { mix.orders = orders }
      if let discontinuations { mix.discontinuations = discontinuations }
      if let reactivations { mix.reactivations = reactivations }
      if let categoryChanges { mix.categoryChanges = categoryChanges }
      if let republishes { mix.republishes = republishes }
    }
  }
}
