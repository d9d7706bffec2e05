import ArgumentParser
import Foundation
import Harness
import Pipeline
import Warehouse

struct Ingest: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Appends a JSONL file (or stdin) to raw in PostgreSQL.",
    discussion: """
      Streams the input in transactional batches. Re-running the same input, or resuming \
      after a crash, leaves raw exactly as one clean run.
      """)

  @Argument(help: "The JSONL file, or - for stdin.") var file: String
  @Option(help: "Lines per transaction.") var batchLines = 50_000

  func validate() throws {
    guard batchLines >= 1 else { throw ValidationError("--batch-lines must be >= 1") }
  }

  func run() throws {
    let descriptor = file == "-" ? STDIN_FILENO : open(file, O_RDONLY)
    guard descriptor >= 0 else {
      throw InputFileError(path: file, failedTo: "cannot read", errno: errno)
    }
    defer { if descriptor != STDIN_FILENO { close(descriptor) } }
    // refused before a server is reached (or the local cluster started for nothing)
    var status = stat()
    if fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
      throw InputFileError(path: file, failedTo: "cannot read", errno: EISDIR)
    }
    let connection = try connectToWarehouse()
    var ingestor = Ingestor(connection: connection)
    ingestor.batchLines = batchLines
    let showProgress = isatty(STDERR_FILENO) == 1
    let clock = ContinuousClock()
    let start = clock.now
    let summary = try ingestor.ingest(descriptor: descriptor, name: file) { progress in
      guard showProgress else { return }
      let elapsed = max((clock.now - start).inSeconds, 0.001)
      FileHandle.standardError.write(
        Data(
          "\r\(progress.linesAppended) lines appended, \(Int(Double(progress.bytesRead) / 1e6 / elapsed)) MB/s   "
            .utf8))
    }
    if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
    // seq runs from 1 without gaps: its greatest is the count, read from the key, not a scan.
    let total = try connection.execute("select coalesce(max(seq), 0) from raw_events").scalar ?? "?"
    print(
      "ingest: \(summary.linesAppended) line(s) appended in \(summary.batchesAppended) batch(es), "
        + "\(summary.linesAlreadyPresent) already present; raw_events holds \(total) line(s)")
  }
}
