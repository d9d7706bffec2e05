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

    @Option(
      help: ArgumentHelp(
        "Make it a Citus cluster: a coordinator and this many workers (needs `make citus`).",
        discussion: "Workers can be added to a Citus cluster later, never removed."))
    var workers: Int?

    func validate() throws {
      if let workers, !(0...LocalCluster.maximumWorkers).contains(workers) {
        throw ValidationError("--workers must be from 0 to \(LocalCluster.maximumWorkers)")
      }
    }

    func run() throws {
      let cluster = LocalCluster.standard()
      let started = try cluster.start(durable: !noFsync, workers: workers)
      print(started ? "started: \(cluster.url)" : "already running: \(cluster.url)")
      if !cluster.workers.isEmpty {
        print("Citus coordinator with \(cluster.workers.count) worker(s)")
      }
    }
  }

  struct Stop: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Stops every node of the cluster (its data stays).")
    func run() throws {
      try LocalCluster.standard().stop()
      print("stopped")
    }
  }

  struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Says whether each node of the cluster runs (exit 3 when one does not).")
    func run() throws {
      let cluster = LocalCluster.standard()
      let nodes = cluster.nodes
      let down = nodes.filter { !cluster.isRunning($0) }
      if nodes.count > 1 {
        for node in nodes {
          let state = cluster.isRunning(node) ? "running" : "not running"
          print("\(node.name): \(state) (port \(node.port), \(node.dataDirectory))")
        }
      }
      guard down.isEmpty else {
        let names = down.map(\.name).joined(separator: ", ")
        throw CLIError.databaseUnavailable("not running: \(names) (\(cluster.directory))")
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
