import ExportFormat

extension Cents {
  /// The amount as Python's `repr(float)` writes a 2-decimal price: `12.0`, `12.5`, `12.34`.
  var pythonFloatLiteral: String {
    let magnitude = value.magnitude
    let sign = value < 0 ? "-" : ""
    let whole = String(magnitude / 100)
    let fraction = magnitude % 100
    if fraction == 0 { return sign + whole + ".0" }
    if fraction % 10 == 0 { return sign + whole + "." + String(fraction / 10) }
    return sign + whole + "." + (fraction < 10 ? "0" : "") + String(fraction)
  }
}
