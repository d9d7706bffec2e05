import ChaosOracle
import Foundation
import Testing

@Suite("chaoslake generate, end to end")
struct GenerateCommandTests {
  @Test("running twice gives identical bytes and oracle files; another seed differs")
  func reproducible() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var outputs: [Data] = []
    for run in ["a", "b"] {
      let result = try chaoslake([
        "generate", "--seed", "42", "--events", "20000", "--profile", "heavy", "--oracle-dir",
        directory.appendingPathComponent(run).path,
      ])
      #expect(result.status == 0, "\(result.stderr)")
      outputs.append(result.stdout)
    }
    #expect(outputs[0] == outputs[1])
    #expect(outputs[0].filter { $0 == 0x0A }.count == 20_000)
    for name in [
      "status.csv", "history.csv", "quality_daily.csv", "volatility.csv", "sales_daily.csv",
      "faults.csv", "manifest.yaml",
    ] {
      let a = try Data(contentsOf: directory.appendingPathComponent("a/" + name))
      let b = try Data(contentsOf: directory.appendingPathComponent("b/" + name))
      #expect(a == b, "\(name) differs between runs")
      #expect(!a.isEmpty)
    }
    let other = try chaoslake([
      "generate", "--seed", "43", "--events", "20000", "--profile", "heavy",
    ])
    #expect(other.stdout != outputs[0])
  }

  @Test("the memory engine reads a file in place and stdin whole, and both equal the oracle")
  func memoryEngineFromFileAndStdin() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("events.jsonl")
    let oracle = directory.appendingPathComponent("oracle")
    let generated = try chaoslake([
      "generate", "--seed", "8", "--events", "20000", "--profile", "heavy", "--out", file.path,
      "--oracle-dir", oracle.path,
    ])
    #expect(generated.status == 0, "\(generated.stderr)")
    let fromFile = directory.appendingPathComponent("from-file")
    let mapped = try chaoslake([
      "run", "--engine", "memory", "--input", file.path, "--out", fromFile.path,
    ])
    #expect(mapped.status == 0, "\(mapped.stderr)")
    let fromStdin = directory.appendingPathComponent("from-stdin")
    let piped = try chaoslake(
      ["run", "--engine", "memory", "--input", "-", "--out", fromStdin.path],
      standardInput: file)
    #expect(piped.status == 0, "\(piped.stderr)")
    for name in [
      "status.csv", "history.csv", "quality_daily.csv", "volatility.csv", "sales_daily.csv",
    ] {
      let expected = try Data(contentsOf: oracle.appendingPathComponent(name))
      #expect(try Data(contentsOf: fromFile.appendingPathComponent(name)) == expected, "\(name)")
      #expect(try Data(contentsOf: fromStdin.appendingPathComponent(name)) == expected, "\(name)")
    }
  }

  @Test("--out writes the same bytes as stdout, and the oracle agrees with the library")
  func outFileAndLibraryAgree() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("events.jsonl")
    let oracle = directory.appendingPathComponent("oracle")
    let result = try chaoslake([
      "generate", "--seed", "5", "--events", "3000", "--out", file.path, "--oracle-dir",
      oracle.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let deliveries = Array(
      StreamGenerator(options: GeneratorOptions(seed: 5, events: 3000)))
    let expected = Data(deliveries.flatMap { $0.bytes + [0x0A] })
    #expect(try Data(contentsOf: file) == expected)
    let prediction = Oracle.predict(deliveries.map(\.truth))
    for (name, contents) in prediction.renderedFiles() {
      #expect(
        try String(contentsOf: oracle.appendingPathComponent(name), encoding: .utf8) == contents)
    }
    let manifest = try String(
      contentsOf: oracle.appendingPathComponent("manifest.yaml"), encoding: .utf8)
    #expect(manifest.contains("generator_version: \(generatorVersion)\n"))
    #expect(manifest.contains("seed: 5\n"))
  }

  @Test("--stats names every fault kind of a heavy stream with a non-zero count")
  func statsCoverEveryFault() throws {
    let result = try chaoslake([
      "generate", "--seed", "42", "--events", "30000", "--profile", "heavy", "--stats",
    ])
    #expect(result.status == 0)
    for kind in FaultKind.allCases {
      let line = result.stderr.split(separator: "\n").first {
        $0.trimmingCharacters(in: .whitespaces).hasPrefix(kind.rawValue + " ")
      }
      let count = line.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
      #expect(count > 0, "\(kind.rawValue) has no hit in --stats")
    }
    #expect(result.stderr.contains("statuses (oracle), 30000 lines"))
  }

  @Test("a profile file is read; bad profiles and usage exit 2 with a clear message")
  func profilesAndUsage() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let good = directory.appendingPathComponent("p.yaml")
    try "base: none\nfaults:\n  negative_price: 0.5\n".write(
      to: good, atomically: true, encoding: .utf8)
    let run = try chaoslake([
      "generate", "--seed", "1", "--events", "500", "--profile", good.path, "--stats",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains("negative_price"))

    let bad = directory.appendingPathComponent("bad.yaml")
    try "faults:\n  negative_prices: 0.5\n".write(to: bad, atomically: true, encoding: .utf8)
    let rejected = try chaoslake([
      "generate", "--seed", "1", "--events", "5", "--profile", bad.path,
    ])
    #expect(rejected.status == 2)
    #expect(rejected.stderr.contains("bad.yaml:2: 'faults.negative_prices': unknown fault"))

    let missing = try chaoslake(["generate", "--seed", "1", "--events", "5", "--profile", "nope"])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("unknown profile 'nope'"))

    let usage = try chaoslake(["generate", "--events", "5"])
    #expect(usage.status == 2)
    #expect(usage.stderr.contains("--seed"))
  }
}
