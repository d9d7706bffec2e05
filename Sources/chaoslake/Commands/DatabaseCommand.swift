import ArgumentParser
import LocalCluster

/// `chaoslake db …`: the throwaway local cluster.
struct DatabaseCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "db",
    abstract:
      "Manages the throwaway local PostgreSQL cluster used when no DATABASE_URL/PG* is set.",
    discussion: """
      The cluster lives in $CHAOSLAKE_HOME (default /tmp/chaoslake-<uid>) and listens on a \
      Unix socket only. As root, the server runs as the 'postgres' user.
      """,
    subcommands: [Start.self, Stop.self, Status.self, ShowURL.self, Destroy.self])

  struct Start: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Creates (once) and starts the cluster.")
    @Flag(help: "Turn fsync off (for test clusters; data may not survive a machine crash).")
    var noFsync = false

    func run() throws {
      let cluster = LocalCluster.standard()
      let started = try cluster.start(durable: !noFsync)
      print(started ? "started: \(cluster.url)" : "already running: \(cluster.url)")
    }
  }

  struct Stop: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Stops the cluster (its data stays).")
    func run() throws {
      try LocalCluster.standard().stop()
      print("stopped")
    }
  }

  struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Says whether the cluster runs (exit 3 when not).")
    func run() throws {
      let cluster = LocalCluster.standard()
      guard cluster.isRunning else {
        throw CLIError.databaseUnavailable("not running (\(cluster.directory))")
      }
      print("running: \(cluster.url)")
    }
  }

  struct ShowURL: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "url", abstract: "Prints the cluster's connection URL.")
    func run() { print(LocalCluster.standard().url) }
  }

  struct Destroy: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Stops the cluster and deletes its directory.")
    func run() throws {
      let cluster = LocalCluster.standard()
      try cluster.destroy()
      print("destroyed \(cluster.directory)")
    }
  }
}
