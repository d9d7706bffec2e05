import ArgumentParser
import ChaosOracle
import ExportFormat
import Foundation
import Harness
import LocalCluster
import Pipeline
import PostgresClient
import Targets
import Warehouse

/// Outcomes the command line reports as failures, each with the exit code of the stable
/// contract: 1 verification mismatch, failing data test or any other failure, 2 bad usage or
/// input, 3 database unavailable (or, verifying another pipeline, our side failed), 4 the
/// pipeline under verification failed (one of its commands exited non-zero).
enum CLIError: Error, CustomStringConvertible {
  /// The pipeline disagrees with its expectation, or a data test of severity error failed.
  case mismatch(String)
  /// The target pipeline under verification failed to run: a finding, not a loss.
  case pipelineFailed(String)
  /// Something failed that is neither the input's fault nor the server's absence.
  case failure(String)
  case badInput(String)
  case databaseUnavailable(String)

  var description: String {
    switch self {
    case .badInput(let message), .mismatch(let message), .failure(let message),
      .databaseUnavailable(let message), .pipelineFailed(let message):
      message
    }
  }

  var exitCode: Int32 {
    switch self {
    case .mismatch, .failure: 1
    case .badInput: 2
    case .databaseUnavailable: 3
    case .pipelineFailed: 4
    }
  }

  /// What a command threw, mapped onto the contract.
  init(_ error: Error) {
    switch error {
    case let error as CLIError:
      self = error
    // Bad input: files that cannot be read, decoded or written; a line the models could
    // not read (named by its seq); an input that changed under a resumed ingest; a line
    // too long to store.
    case is InputFileError, is OutputFileError, is ProfileError, is YAMLFile.Failure,
      is ScenarioFile.Failure, is ExportFiles.ReadError, is PostgresEngine.DataFailure,
      is Ingestor.InputChanged, is Ingestor.LineTooLong, is DbtTargetInit.Failure:
      self = .badInput("\(error)")
    case let error as ClusterError:
      self = .databaseUnavailable("\(error)")
    case let error as TargetVerification.HarnessFailure:
      self = .databaseUnavailable("verification stopped, nothing saved: \(error)")
    case let error as PostgresError:
      // The server went away (or never answered), or lost a node it needs (a Citus worker):
      // 3; a statement that failed on data: 2; anything else is a failure of ours: 1.
      if error.kind == .connection || error.code?.isConnectionException == true {
        self = .databaseUnavailable("PostgreSQL connection failed: \(error)")
      } else if error.isDataError {
        self = .badInput("\(error)")
      } else {
        self = .failure("\(error)")
      }
    default:
      // WarehouseError, a target's command that failed, …
      self = .failure("\(error)")
    }
  }
}
