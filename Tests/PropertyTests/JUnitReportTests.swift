import Foundation
import FoundationXML
import Harness
import Testing

/// JUnit XML is read by CI systems that reject a malformed file outright: whatever a case
/// name or failure holds (quotes, markup, control characters from a hostile line), the
/// report must parse and count its cases.
@Suite("JUnit reports")
struct JUnitReportTests {
  @Test("hostile text is escaped; the document parses and counts its cases and failures")
  func hostileTextParses() throws {
    let hostile = "a \"quoted\" <tag> & 'apos'\u{0}\u{1}\u{7}\u{1B}\t\n\r café e\u{301} 🙂"
    let report = JUnitReport(
      suiteName: "suite " + hostile,
      cases: [
        .init(name: "passes", className: "chaoslake.x", seconds: 0.25),
        .init(
          name: hostile, className: "chaoslake.x", seconds: 1,
          failure: (message: hostile, details: hostile + "\nreplay: chaoslake replay s.yaml")),
        .init(name: "warns", className: "chaoslake.x", output: "warn: " + hostile),
      ])
    let document = try XMLDocument(xmlString: report.xml, options: [])
    let root = try #require(document.rootElement())
    #expect(root.name == "testsuites")
    #expect(root.attribute(forName: "tests")?.stringValue == "3")
    #expect(root.attribute(forName: "failures")?.stringValue == "1")
    let suite = try #require(root.elements(forName: "testsuite").first)
    let cases = suite.elements(forName: "testcase")
    #expect(cases.count == 3)
    for item in cases {
      for name in ["name", "classname", "time"] {
        #expect(item.attribute(forName: name) != nil, "\(name) on every testcase")
      }
    }
    let failure = try #require(cases[1].elements(forName: "failure").first)
    #expect(
      failure.attribute(forName: "message")?.stringValue?.contains("\"quoted\" <tag> &") == true)
    #expect(failure.stringValue?.contains("replay: chaoslake replay s.yaml") == true)
    #expect(
      cases[2].elements(forName: "system-out").first?.stringValue?.hasPrefix("warn: ") == true)
    #expect(cases[0].elements(forName: "failure").isEmpty)
  }
}
