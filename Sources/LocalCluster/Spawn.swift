import CProcess
import Foundation

/// Runs a program to completion with output appended to a log file; returns its exit code.
/// Spawned with every inherited descriptor closed, so daemons it starts hold none of ours.
func run(_ path: String, _ arguments: [String], log: String) throws -> Int32 {
  let argv = ([path] + arguments).map { strdup($0) } + [nil]
  defer { argv.forEach { free($0) } }
  var pid: pid_t = 0
  let status = chaoslake_spawn(path, argv, log, &pid)
  guard status == 0 else {
    throw ClusterError("cannot start \(path): \(String(cString: strerror(status)))")
  }
  var exitStatus: Int32 = 0
  while waitpid(pid, &exitStatus, 0) < 0 {
    guard errno == EINTR else { throw ClusterError("waiting for \(path) failed") }
  }
  // WIFEXITED / WEXITSTATUS, spelled out (the macros are not imported).
  if exitStatus & 0x7F == 0 { return (exitStatus >> 8) & 0xFF }
  return 128 + (exitStatus & 0x7F)
}

/// Why the local cluster could not be used, for the user.
package struct ClusterError: Error, CustomStringConvertible, Sendable {
  package let description: String
  package init(_ description: String) { self.description = description }
}
