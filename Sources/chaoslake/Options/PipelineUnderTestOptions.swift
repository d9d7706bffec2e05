import ArgumentParser
import Foundation
import Harness
import Targets

/// Which pipeline `verify` and `replay` hold to the oracle: one of chaoslake's engines, or
/// someone else's pipeline described by a target file.
struct PipelineUnderTestOptions: ParsableArguments {
  @Option(help: "The engine under test: memory or postgres (not with --target).")
  var engine: Engine?
  @Option(help: "Someone else's pipeline, described by this target file (YAML).")
  var target: String?
  @Option(help: "With --target: exact, versions or final (default: the target file's).")
  var compare: ComparisonLevel?

  /// `--engine` names chaoslake's engine and `--compare` a level of a target's: each goes
  /// with its side only.
  func validate() throws {
    if target == nil, compare != nil { throw ValidationError("--compare goes with --target") }
    if target != nil, engine != nil {
      throw ValidationError(
        "--engine names chaoslake's engine; --target verifies another pipeline")
    }
  }

  /// The target at `--target` on the configured server, reporting on stdout and each
  /// shrink candidate on stderr.
  func targetVerification(path: String) throws -> TargetVerification {
    try TargetVerification(
      path: path, level: compare, conninfo: serverConninfo(),
      chaoslakePath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        ?? CommandLine.arguments[0],
      report: { print($0, terminator: "") },
      progress: { FileHandle.standardError.write(Data($0.utf8)) })
  }
}

extension ComparisonLevel: ExpressibleByArgument {}
