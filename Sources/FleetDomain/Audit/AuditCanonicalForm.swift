import Foundation

/// The exact bytes an audit record's hash covers. Written so that anyone can re-compute it in a few lines
/// of any language (docs/audit.md has a Python version) and so that no two different records share a form.
///
/// The form is UTF-8 text, one line per field, in this fixed order, each line ending in `\n` (0x0A):
///
///     bf-audit-v1
///     sequence:<decimal>
///     previous_hash:<64 lowercase hex digits>
///     at_ms:<decimal Unix milliseconds>
///     actor.name:<text>
///     actor.role:<text>
///     action:<text>
///     target:<text>
///     device:<text or ->
///     reason:<text or ->
///     breaker:<text or ->
///     detail:<number of pairs>
///     <key text>=<value text>        one line per pair, keys in ascending order of their UTF-8 bytes
///
/// where `<text>` is `<n>:<bytes>`: the decimal count `n` of the value's UTF-8 bytes, a colon, then the
/// bytes as they are (a value may contain `:`, `=` or newlines; the count says where it ends), and an
/// absent optional is a single `-` (an empty string is `0:`, so absent and empty differ). The hash is
/// SHA-256 of these bytes, written as 64 lowercase hex digits. Times are whole milliseconds, which is what
/// the stores keep, so a record read back hashes the same.
public enum AuditCanonicalForm {
    /// The first line: a new form gets a new tag, so old records stay verifiable.
    public static let tag = "bf-audit-v1"

    /// The canonical bytes of the record at `sequence` that follows `previousHash`.
    public static func bytes(of entry: AuditEntry, sequence: Int64, previousHash: String) -> [UInt8] {
        var form = Form()
        form.line(tag)
        form.line("sequence:\(sequence)")
        form.line("previous_hash:\(previousHash)")
        form.line("at_ms:\(milliseconds(entry.at))")
        form.field("actor.name", entry.actor.name)
        form.field("actor.role", entry.actor.role)
        form.field("action", entry.action)
        form.field("target", entry.target)
        form.field("device", entry.device)
        form.field("reason", entry.reason)
        form.field("breaker", entry.breaker)
        form.line("detail:\(entry.detail.count)")
        for key in entry.detail.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            form.text(key)
            form.bytes.append(UInt8(ascii: "="))
            form.text(entry.detail[key] ?? "")
            form.bytes.append(UInt8(ascii: "\n"))
        }
        return form.bytes
    }

    /// The canonical bytes of a stored record (its own `sequence` and `previousHash`).
    public static func bytes(of record: AuditRecord) -> [UInt8] {
        bytes(of: record.entry, sequence: record.sequence, previousHash: record.previousHash)
    }

    /// Whole Unix milliseconds, rounded to the nearest.
    public static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// The instant of whole Unix milliseconds: what a record's `at` is once chained.
    public static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    private struct Form {
        var bytes: [UInt8] = []

        mutating func line(_ text: String) {
            bytes += text.utf8
            bytes.append(UInt8(ascii: "\n"))
        }

        /// `name:<n>:<bytes>` or `name:-`.
        mutating func field(_ name: String, _ value: String?) {
            bytes += name.utf8
            bytes.append(UInt8(ascii: ":"))
            if let value { text(value) } else { bytes.append(UInt8(ascii: "-")) }
            bytes.append(UInt8(ascii: "\n"))
        }

        /// `<n>:<bytes>`, n the UTF-8 byte count.
        mutating func text(_ value: String) {
            bytes += String(value.utf8.count).utf8
            bytes.append(UInt8(ascii: ":"))
            bytes += value.utf8
        }
    }
}
