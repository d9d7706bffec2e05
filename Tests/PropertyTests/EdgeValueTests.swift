import ChaosOracle
import ExportFormat
import Harness
import Pipeline
import PropertyBased
import Testing

/// Values at the edges of every type (SPEC "Edge values"): exact money at any magnitude,
/// code-point strings, CSV quoting by code point, numeric literals exactly as PostgreSQL's
/// `numeric` input takes them.
@Suite("Edge values")
struct EdgeValueTests {
  @Test(
    "numeric literals: the written exponent must stay below 1073741823 in magnitude, even on 0",
    arguments: [
      ("0e1073741822", true), ("0e1073741823", false), ("0e-1073741822", false),
      ("0e+1073741822", true), ("1e00000000000000000001", true), ("0e99999999999999999999", false),
      ("-0e1073741823", false), ("0.0e-16383", false), ("0e-16383", true), ("1.5e-16382", true),
      ("1e-16383", true), ("9.99e131071", true), ("1e131072", false), ("0.1e131072", true),
    ])
  func numericLiterals(literal: String, storable: Bool) {
    let line = "{\"x\": \(literal), \"payload\": {}}"
    var engine = MemoryEngine()
    engine.append([Array(line.utf8)])
    engine.run()
    let malformed = engine.export().statuses.first?.status == .invalid(.malformedJSON)
    #expect(malformed == !storable, "\(literal)")
  }

  @Test("CSV quotes a field for a quote, comma, CR or LF, looked for scalar by scalar")
  func csvByScalar() {
    #expect(CSV.field("x\"\u{301}y") == "\"x\"\"\u{301}y\"")
    #expect(CSV.field("x\"\u{301}y").unicodeScalars.filter { $0 == "\"" }.count == 4)
    #expect(CSV.field("a,\u{301}b") == "\"a,\u{301}b\"")
    #expect(CSV.field("\r\n") == "\"\r\n\"")
    #expect(CSV.field("tab\there") == "tab\there")
    let long = String(repeating: "\"a,", count: 100_000)
    #expect(CSV.parse(CSV.record([long, "x"])) == [[long, "x"]])
  }

  @Test("money survives export and reading back at any magnitude the contract allows")
  func moneyRoundTrip() async {
    await propertyCheck(
      input: Gen.int64(in: Int64.min...Int64.max), Gen.int(in: 1...Int(Int32.max))
    ) {
      cents, quantity in
      let amount = Int64(quantity) * Cents(cents)
      #expect(Cents(exportText: amount.exportText) == amount)
      #expect(amount.value == Int128(quantity) * Int128(cents))
    }
    let largest = Int64(Int32.max) * Cents(999_999_999_999 as Int64)
    #expect(largest.exportText == "21474836469978525163.53")  // (2^31-1) x (10^12-1) cents
    #expect(Cents(exportText: "-" + String(repeating: "9", count: 36) + ".99") != nil)
    #expect(Cents(exportText: String(repeating: "9", count: 37) + ".99") == nil)
    #expect(Cents(exportText: "1.5") == nil)
    #expect(Cents(exportText: "١.00") == nil)
  }

  @Test("canonically equivalent strings are different keys and different categories")
  func codePoints() {
    let composed = "caf\u{E9}"
    let decomposed = "cafe\u{301}"
    #expect(composed == decomposed, "Swift's String == uses canonical equivalence")
    #expect(CodePointKey(composed) != CodePointKey(decomposed))
    #expect(Set([CodePointKey(composed), CodePointKey(decomposed)]).count == 2)
    let one = ProductAttributes(price: Cents(100 as Int64), category: composed, isDeleted: false)
    let two = ProductAttributes(price: Cents(100 as Int64), category: decomposed, isDeleted: false)
    #expect(one != two)
    #expect(Set([one, two]).count == 2)
  }

  @Test("fuzzed streams: memory engine in random batches equals one batch, never traps")
  func fuzzMemory() {
    let cases = PropertyProfile.isLong ? 200 : 10
    let seed = UInt64(PropertyProfile.isLong ? 1_000 : 7)
    for index in 0..<cases {
      let fuzzCase = Fuzzer.makeCase(seed: seed, index: index, lines: 1_500)
      let failure = Fuzzer.check(fuzzCase, engines: [("memory (batched)", memoryEngine)])
      #expect(
        failure == nil,
        "case \(index): \(failure?.reason ?? "")\nreplay: chaoslake fuzz --seed \(seed) --lines \((index + 1) * 1_500) --case-lines 1500 --engine memory"
      )
    }
  }
}
