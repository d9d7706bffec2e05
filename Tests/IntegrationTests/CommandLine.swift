import Foundation

/// Runs the built `chaoslake` binary (from this package's `.build/debug`).
struct CommandResult {
  var status: Int32
  var stdout: Data
  var stderr: String
}

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

let chaoslakeBinary = packageRoot.appendingPathComponent(".build/debug/chaoslake")

func chaoslake(
  _ arguments: [String], environment: [String: String]? = nil, standardInput: URL? = nil
) throws -> CommandResult {
  let process = Process()
  process.executableURL = chaoslakeBinary
  process.arguments = arguments
  if let environment { process.environment = environment }
  if let standardInput { process.standardInput = try FileHandle(forReadingFrom: standardInput) }
  let out = Pipe()
  let err = Pipe()
  process.standardOutput = out
  process.standardError = err
  try process.run()
  // Read both pipes concurrently with the child so a full pipe never blocks it.
  nonisolated(unsafe) var errData = Data()
  let errReader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
  errReader.start()
  let outData = out.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  while errReader.isExecuting || !errReader.isFinished { usleep(1000) }
  return CommandResult(
    status: process.terminationStatus, stdout: outData,
    stderr: String(decoding: errData, as: UTF8.self))
}

func temporaryDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "chaoslake-test-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// Starts `chaoslake` in the background (output discarded), for kill and concurrency tests.
func startChaoslake(_ arguments: [String], environment: [String: String]) throws -> Process {
  let process = Process()
  process.executableURL = chaoslakeBinary
  process.arguments = arguments
  process.environment = environment
  process.standardOutput = FileHandle.nullDevice
  process.standardError = FileHandle.nullDevice
  try process.run()
  return process
}
