import Foundation
import Synchronization

/// A regular file mapped read-only, for the memory engine to read lines in place: the
/// process holds only the pages it is reading, not a copy of the whole input.
///
/// The file must not shrink while it is mapped (a read past its new end would fault), so
/// it is meant for an input a run owns; stdin and other unmappable inputs are read into
/// memory instead (`InputFile.bytes`).
package final class MappedFile: ExternalBytes, @unchecked Sendable {
  // @unchecked: the mapping is read-only and never changes while this object lives; the one
  // counter is atomic.
  package let buffer: UnsafeBufferPointer<UInt8>
  /// Releases cover whole 64 KiB blocks: a read fault maps the cached pages around it too
  /// (Linux's fault-around, 64 KiB by default), which a one-page release would leave mapped.
  private let granule = max(65_536, Int(sysconf(Int32(_SC_PAGESIZE))))

  /// Maps `path`; `nil` when it is not a regular non-empty file that can be mapped.
  package init?(path: String) throws {
    guard path != "-" else { return nil }
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else {
      throw InputFileError(path: path, failedTo: "cannot read", errno: errno)
    }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_size > 0,
      let size = Int(exactly: status.st_size),
      let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), base != MAP_FAILED
    else { return nil }
    buffer = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: size)
  }

  /// Small releases (a line read again) are gathered: every 256th drops the whole mapping
  /// at once, one system call instead of one a line, holding at most 256 blocks between.
  private let gathered = Atomic<Int>(0)

  /// Drops the pages of `range` (widened to whole blocks) from the process; the next read
  /// of them maps them again from the page cache, unchanged.
  package func release(_ range: Range<Int>) {
    guard !range.isEmpty else { return }
    if range.count < granule {
      let count = gathered.wrappingAdd(1, ordering: .relaxed).newValue
      guard count % 256 == 0 else { return }
      return drop(0..<buffer.count)
    }
    drop(range)
  }

  private func drop(_ range: Range<Int>) {
    guard let base = buffer.baseAddress else { return }
    let start = range.lowerBound / granule * granule
    let end = min(buffer.count, (range.upperBound + granule - 1) / granule * granule)
    guard start < end else { return }
    _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
  }

  deinit {
    if let base = buffer.baseAddress {
      munmap(UnsafeMutableRawPointer(mutating: base), buffer.count)
    }
  }
}
