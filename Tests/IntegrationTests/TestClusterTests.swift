import Foundation
import Testing

/// A plain `swift test` on a fresh clone needs no server: the test process starts its own
/// cluster and leaves nothing behind, when it ends and when it is interrupted.
@Suite("swift test on its own: a cluster of the test process")
struct TestClusterTests {
  @Test("a database opens (on a cluster of the test process when none is configured)")
  func aDatabaseOpens() throws {
    let database = try TestDatabase()
    #expect(try database.connection.execute("select 1").scalar == "1")
    if ProcessInfo.processInfo.environment["CHAOSLAKE_TEST_WAIT"] != nil {
      Thread.sleep(forTimeInterval: 120)  // until the parent interrupts this process
    }
  }

  /// Runs `aDatabaseOpens` in a child test process with no server configured.
  static func child(parent: URL, wait: Bool) throws -> Process {
    var environment = ProcessInfo.processInfo.environment
    for name in ["PGHOST", "PGUSER", "PGDATABASE", "PGPORT", "DATABASE_URL"] {
      environment[name] = nil
    }
    environment["CHAOSLAKE_TEST_CLUSTER_PARENT"] = parent.path
    if wait { environment["CHAOSLAKE_TEST_WAIT"] = "1" }
    let process = Process()
    process.executableURL = URL(
      fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
    process.arguments = [
      "--testing-library", "swift-testing", "--filter", "TestClusterTests/aDatabaseOpens",
    ]
    process.environment = environment
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
  }

  /// Whether any process's command line names `path` (a server left running there).
  static func processUsing(_ path: String) -> Bool {
    let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return pids.contains { pid in
      guard pid.allSatisfy(\.isNumber),
        let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
      else { return false }
      return String(decoding: data, as: UTF8.self).contains(path)
    }
  }

  @Test("the cluster is gone after the process ends, and after Ctrl-C", arguments: [false, true])
  func nothingLeftBehind(interrupted: Bool) throws {
    let parent = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: parent) }
    let process = try Self.child(parent: parent, wait: interrupted)
    if interrupted {
      // Interrupt once the cluster is up: its folder holds a data directory.
      let deadline = Date().addingTimeInterval(60)
      func started() -> Bool {
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        return folders.contains {
          FileManager.default.fileExists(atPath: parent.path + "/" + $0 + "/data/PG_VERSION")
        }
      }
      while !started(), Date() < deadline, process.isRunning { Thread.sleep(forTimeInterval: 0.1) }
      #expect(started(), "the child started its cluster")
      Thread.sleep(forTimeInterval: 1)
      kill(process.processIdentifier, SIGINT)
    }
    process.waitUntilExit()
    if !interrupted { #expect(process.terminationStatus == 0, "the child's test passed") }
    let left = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
    #expect(left.isEmpty, "left behind: \(left)")
    #expect(!Self.processUsing(parent.path), "a server still runs in \(parent.path)")
  }
}
