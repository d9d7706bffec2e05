import Foundation
import Synchronization

/// Ingest's reading side, one batch ahead of the commits: a thread of its own reads the
/// next batch's lines, hashes them and parses them into their staged rows while the
/// connection commits the batch before.
///
/// The server and the client then work at once instead of in turns: at 1M lines the
/// reading and parsing are about as long as what the server does, and one waited for the
/// other. At most two batches are in memory: the one being committed and the one being read.
final class BatchesAhead: Sendable {
  private struct Handoff {
    /// The next batch, `nil` at the end of the input, or why reading stopped.
    var next: Result<IngestBatch?, any Error>?
    var stopping = false
    var finished = false
  }

  private let handoff = Mutex(Handoff())
  /// Signalled when `handoff.next` holds something.
  private let ready = DispatchSemaphore(value: 0)
  /// Signalled when the consumer is done with the batch before and wants the next.
  private let wanted = DispatchSemaphore(value: 0)
  /// Signalled once, when the reading thread has returned.
  private let exited = DispatchSemaphore(value: 0)

  /// Starts reading `input` from byte `start`, in batches of at most `lines` lines or about
  /// `bytes` bytes. `appending` false: the input ingested so far ended without a newline,
  /// so any further line is an error (`Ingestor.InputChanged`) rather than a batch.
  init(
    reading input: ChunkReader, from start: Int, appending: Bool, name: String,
    lines: Int, bytes: Int
  ) {
    let thread = Thread { [self] in
      var input = input
      var position = start
      while true {
        let next = Result<IngestBatch?, any Error> {
          var batch = IngestBatch(start: position, lines: lines, bytes: bytes)
          while batch.lineCount < lines, batch.bytes.count < bytes {
            let read: Void? = try input.nextLine { line, endsWithNewline in
              guard appending else {
                throw Ingestor.InputChanged(
                  description:
                    "\(name) grew after a last line without \\n had been ingested; that line "
                    + "would now read differently, so nothing was appended")
              }
              batch.add(line, endsWithNewline: endsWithNewline)
            }
            if read == nil { break }
          }
          position = batch.end
          return batch.lineCount == 0 ? nil : batch
        }
        wanted.wait()
        let stopping = handoff.withLock { handoff in
          if !handoff.stopping { handoff.next = next }
          return handoff.stopping
        }
        if stopping { break }
        ready.signal()
        guard case .success(.some) = next else { break }
      }
      exited.signal()
    }
    // The parser recurses once per level of nesting (at most 512): the main thread's stack.
    thread.stackSize = 8 << 20
    thread.start()
  }

  /// The next batch, in input order; `nil` at the end of the input.
  func next() throws -> IngestBatch? {
    guard !handoff.withLock({ $0.finished }) else { return nil }
    wanted.signal()
    ready.wait()
    let next = handoff.withLock { handoff in
      let next = handoff.next
      handoff.next = nil
      if case .success(.some) = next {} else { handoff.finished = true }
      return next
    }
    return try next?.get() ?? nil
  }

  /// Stops the reading thread and waits for it to return (the input's descriptor may be
  /// closed afterwards). Call it once, whether or not every batch was taken.
  func stop() {
    handoff.withLock { $0.stopping = true }
    wanted.signal()
    exited.wait()
  }
}
