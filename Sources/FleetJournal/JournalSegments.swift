import Foundation

/// Naming of the journal's segment files: `segment-0000000000000001.log`, numbered in write order.
enum JournalSegments {
    static func fileName(_ number: UInt64) -> String {
        let digits = String(number)
        return "segment-" + String(repeating: "0", count: max(0, 16 - digits.count)) + digits + ".log"
    }

    static func path(_ number: UInt64, in directory: URL) -> String {
        directory.appendingPathComponent(fileName(number)).path
    }

    /// The segment numbers present in `directory`, ascending.
    static func list(in directory: URL) -> [UInt64] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.compactMap { name -> UInt64? in
            guard name.hasPrefix("segment-"), name.hasSuffix(".log") else { return nil }
            return UInt64(name.dropFirst(8).dropLast(4))
        }.sorted()
    }
}
