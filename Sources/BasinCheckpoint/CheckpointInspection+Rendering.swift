import Foundation

extension CheckpointInspection {
    /// A plain-text report: the file line, the metadata (keys sorted) and one row per tensor
    /// with its dtype, shape, element count, L2 norm, minimum and maximum (6 significant
    /// digits; `-` where a statistic does not exist). Ends with a newline.
    ///
    /// ```
    /// file      run/cycle-001.safetensors: 7,296 bytes, header 1,024 bytes
    /// metadata  architecture = mlp
    ///           cycle = 1
    /// tensors   4, 1,610 float elements
    ///
    /// name        dtype  shape     elements  L2 norm  min        max
    /// fc1.bias    F32    [32]      32        0.4123   -0.1953    0.1712
    /// ```
    public func table() -> String {
        var lines = [
            "file      \(path): \(grouped(fileByteCount)) bytes, header "
                + "\(grouped(headerByteCount)) bytes"
        ]
        let metadataLines = metadata.sorted { utf8Precedes($0.key, $1.key) }.map {
            "\($0.key) = \($0.value)"
        }
        if metadataLines.isEmpty {
            lines.append("metadata  (none)")
        } else {
            lines.append("metadata  " + metadataLines[0])
            lines += metadataLines.dropFirst().map { "          " + $0 }
        }
        lines.append(
            "tensors   \(tensors.count), \(grouped(floatElementCount)) float elements")
        lines.append("")

        let header = ["name", "dtype", "shape", "elements", "L2 norm", "min", "max"]
        let rows = tensors.map { tensor in
            [
                tensor.name, tensor.dtype,
                "[" + tensor.shape.map(String.init).joined(separator: ", ") + "]",
                String(tensor.elementCount), formatted(tensor.l2Norm), formatted(tensor.minimum),
                formatted(tensor.maximum),
            ]
        }
        lines += alignedColumns([header] + rows)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The inspection as pretty-printed JSON with sorted keys and a final newline; NaN and
    /// infinities appear as the strings `"nan"`, `"inf"`, `"-inf"`.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        // Strings, integers and Doubles with a strategy for non-finite values cannot fail.
        let data = try! encoder.encode(self)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// Left-aligned columns two spaces apart, trailing spaces trimmed.
private func alignedColumns(_ rows: [[String]]) -> [String] {
    guard let columnCount = rows.first?.count else { return [] }
    let widths = (0..<columnCount).map { column in
        rows.map { $0[column].count }.max() ?? 0
    }
    return rows.map { row in
        var line = ""
        for (column, cell) in row.enumerated() {
            line += cell
            if column < columnCount - 1 {
                line += String(repeating: " ", count: widths[column] - cell.count + 2)
            }
        }
        while line.hasSuffix(" ") { line.removeLast() }
        return line
    }
}

/// Six significant digits (`%.6g`), `nan`/`inf`/`-inf`, or `-` for a missing value.
private func formatted(_ value: Double?) -> String {
    guard let value else { return "-" }
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    return String(format: "%.6g", value)
}

/// `1234567` as `1,234,567`.
private func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var result = ""
    for (index, digit) in digits.enumerated() {
        if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
        result.append(digit)
    }
    return value < 0 ? "-" + result : result
}
