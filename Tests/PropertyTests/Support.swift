import ChaosOracle
import ExportFormat
import Foundation

/// Generates a whole stream in memory.
func generate(
  seed: UInt64, events: Int, profile: ChaosProfile, products: Int = 50, days: Int = 30
) -> [Delivery] {
  Array(
    StreamGenerator(
      options: GeneratorOptions(
        seed: seed, events: events, products: products, days: days, profile: profile)))
}

func preset(_ name: String) -> ChaosProfile { ChaosProfile.preset(named: name)! }

/// A profile with exactly one fault switched on.
func only(_ kind: FaultKind, rate: Double = 0.3) -> ChaosProfile {
  ChaosProfile(name: "only-\(kind.rawValue)", rates: [kind: rate])
}

/// The stream as the bytes `chaoslake generate` writes.
func streamBytes(_ deliveries: [Delivery]) -> [UInt8] {
  deliveries.flatMap { $0.bytes + [0x0A] }
}

/// Independent reading of a line with Foundation (not the generator's writer), used to check
/// that what the generator claims about a line holds for its bytes.
struct ForeignReading {
  let object: [String: Any]?
  let payload: [String: Any]?

  init(_ bytes: [UInt8]) {
    let parsed = try? JSONSerialization.jsonObject(with: Data(bytes), options: [])
    object = parsed as? [String: Any]
    switch object?["payload"] {
    case let dictionary as [String: Any]: payload = dictionary
    case let text as String:
      payload =
        (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [])) as? [String: Any]
    default: payload = nil
    }
  }

  func string(_ key: String) -> String? { object?[key] as? String }
}

func isValidUTF8(_ bytes: [UInt8]) -> Bool {
  var iterator = bytes.makeIterator()
  var decoder = UTF8()
  while true {
    switch decoder.decode(&iterator) {
    case .scalarValue: continue
    case .emptyInput: return true
    case .error: return false
    }
  }
}

let uuidPattern = try! NSRegularExpression(
  pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

func looksLikeUUID(_ text: String) -> Bool {
  uuidPattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
}
