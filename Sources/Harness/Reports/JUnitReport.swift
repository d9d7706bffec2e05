import Foundation

/// Results as JUnit XML, the format CI systems (GitLab, Jenkins, GitHub's test reporters)
/// read: one `<testsuite>` of `<testcase>`s, each passing or with a `<failure>`.
package struct JUnitReport: Sendable {
  package struct TestCase: Sendable {
    package var name: String
    package var className: String
    package var seconds: Double
    /// A one-line message and the details (the diff, the replay command), when it failed.
    package var failure: (message: String, details: String)?
    /// Anything worth keeping from a passing case (a data test's warning).
    package var output: String?

    package init(
      name: String, className: String, seconds: Double = 0,
      failure: (message: String, details: String)? = nil, output: String? = nil
    ) {
      self.name = name
      self.className = className
      self.seconds = seconds
      self.failure = failure
      self.output = output
    }
  }

  package var suiteName: String
  package var cases: [TestCase]

  package init(suiteName: String, cases: [TestCase]) {
    self.suiteName = suiteName
    self.cases = cases
  }

  package var xml: String {
    let failures = cases.filter { $0.failure != nil }.count
    let total = cases.reduce(0) { $0 + $1.seconds }
    var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    text +=
      "<testsuites name=\"chaoslake\" tests=\"\(cases.count)\" failures=\"\(failures)\" "
      + "errors=\"0\" time=\"\(Self.seconds(total))\">\n"
    text +=
      "  <testsuite name=\"\(Self.escaped(suiteName))\" tests=\"\(cases.count)\" "
      + "failures=\"\(failures)\" errors=\"0\" skipped=\"0\" time=\"\(Self.seconds(total))\">\n"
    for item in cases {
      text +=
        "    <testcase name=\"\(Self.escaped(item.name))\" "
        + "classname=\"\(Self.escaped(item.className))\" time=\"\(Self.seconds(item.seconds))\""
      guard item.failure != nil || item.output != nil else {
        text += "/>\n"
        continue
      }
      text += ">\n"
      if let failure = item.failure {
        text +=
          "      <failure message=\"\(Self.escaped(failure.message))\" type=\"failure\">"
          + Self.escaped(failure.details) + "</failure>\n"
      }
      if let output = item.output {
        text += "      <system-out>" + Self.escaped(output) + "</system-out>\n"
      }
      text += "    </testcase>\n"
    }
    text += "  </testsuite>\n</testsuites>\n"
    return text
  }

  /// Writes the XML to `path`.
  package func write(to path: String) throws {
    do { try xml.write(toFile: path, atomically: true, encoding: .utf8) } catch {
      throw ScenarioFile.Failure(
        description: "cannot write the JUnit report \(path): \(error.localizedDescription)")
    }
  }

  static func seconds(_ value: Double) -> String { String(format: "%.3f", value) }

  /// Text for an attribute or element: markup escaped, and characters XML 1.0 cannot hold
  /// (controls but tab, LF and CR; unpaired surrogates cannot occur in a String) replaced.
  static func escaped(_ text: String) -> String {
    var result = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&apos;"
      case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
      case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
        result += "\u{FFFD}"
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result
  }
}
