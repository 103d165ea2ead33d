import Foundation

func text(_ value: Any?) -> String {
    switch value {
    case nil, is NSNull: "-"
    case let string as String: string
    case let number as NSNumber: number.stringValue
    default: "\(value!)"
    }
}

func printTable(header: [String], rows: [[String]]) {
    let widths = header.indices.map { column in
        ([header[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0
    }
    for row in [header] + rows {
        print(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  "))
    }
}

func printJSON(_ object: [String: Any]) throws {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}
