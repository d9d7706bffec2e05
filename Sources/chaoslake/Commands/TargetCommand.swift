import ArgumentParser
import ExportFormat
import Foundation
import Targets

/// `chaoslake target …`: target files for other people's pipelines.
struct TargetCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "target", abstract: "Makes target files for other people's pipelines.",
    subcommands: [Init.self])

  struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Writes a target file for a dbt project's snapshot, from its manifest.",
      discussion: """
        Runs `dbt parse` ($DBT, else dbt on the PATH) in the project, reads the snapshot's \
        unique key, strategy and columns, the sources it reads and whether seeds exist, and \
        writes a target file that runs the project on an empty database. What it cannot map \
        is named on stderr and left as a placeholder that fails with a clear message.
        """)

    @Option(help: ArgumentHelp("The dbt project's folder.", valueName: "dir")) var dbt: String
    @Option(help: "The snapshot to verify (needed when the project has several).")
    var snapshot: String?
    @Option(help: "The target file to write (default: <dir>/chaoslake-target.yaml).")
    var out: String?

    func run() throws {
      let project = URL(fileURLWithPath: dbt).standardizedFileURL
      let output = URL(fileURLWithPath: out ?? project.path + "/chaoslake-target.yaml")
        .standardizedFileURL
      let manifest = try DbtTargetInit.parseManifest(
        project: project.path, dbt: ProcessInfo.processInfo.environment["DBT"] ?? "dbt")
      let result = try DbtTargetInit.target(
        manifest: manifest, snapshot: snapshot,
        projectDirectory: Self.relativePath(
          from: output.deletingLastPathComponent(), to: project),
        profilesInProject: FileManager.default.fileExists(atPath: project.path + "/profiles.yml"))
      let file = try OutputFile(path: output.path)
      file.write(result.yaml)
      try file.close()
      print("target: \(output.path)")
      for item in result.unmapped {
        FileHandle.standardError.write(
          Data("target init: could not map \(item); edit it in \(output.path)\n".utf8))
      }
    }

    /// `to` relative to the folder `from` (both absolute, standardized).
    static func relativePath(from: URL, to: URL) -> String {
      let base = from.pathComponents
      let target = to.pathComponents
      let shared = zip(base, target).prefix { $0 == $1 }.count
      let parts = Array(repeating: "..", count: base.count - shared) + target.dropFirst(shared)
      return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
  }
}
