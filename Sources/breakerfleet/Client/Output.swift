import AdminAPIModel
import Foundation

/// A table cell: `-` for an absent value.
func text(_ value: (some CustomStringConvertible)?) -> String {
    value.map(\.description) ?? "-"
}

/// A date cell as the API writes dates (RFC 3339), `-` when absent.
func text(_ date: Date?) -> String {
    date.map { ISO8601DateFormatter().string(from: $0) } ?? "-"
}

func printTable(header: [String], rows: [[String]]) {
    let widths = header.indices.map { column in
        ([header[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0
    }
    for row in [header] + rows {
        print(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  "))
    }
}

/// The API's answer as JSON: pretty, sorted keys, through the encoder the server uses.
func printJSON(_ value: some Encodable) throws {
    print(String(decoding: try AdminJSON.encoder(pretty: true).encode(value), as: UTF8.self))
}

/// A measured number as people write it: `32`, not `32.0`; `0.25` as is.
func number(_ value: Double) -> String {
    value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
}
