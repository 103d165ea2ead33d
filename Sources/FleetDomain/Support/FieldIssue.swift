import Foundation

/// One invalid input, named so a client can point at the form field, flag or CSV column.
///
/// The domain's validation speaks in these; the admin API turns them into problem `errors` and the CLI
/// into messages, so a rule and its wording live in one place.
public struct FieldIssue: Sendable, Equatable, Codable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// A refused domain operation: invalid input (`issues`), or a state that forbids it.
public struct DomainError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// The input breaks a rule; `issues` names the fields.
        case invalid
        /// Something named does not exist (a site, a device, a claim code).
        case notFound
        /// The current state forbids it (a revoked device, a taken circuit, a used claim code).
        case conflict
        /// A claim code past its expiry or already used: gone for good.
        case gone
        /// The caller's scope does not cover it (an installer outside its counties).
        case forbidden
    }

    /// A named rule a refusal cites, so a client can tell one refusal from another without parsing the
    /// message (the admin API makes it the problem's `type` and `title`).
    public struct Rule: Sendable, Equatable {
        /// Lower-case words joined by '-', e.g. `move-needs-reason`.
        public let name: String
        /// The rule in a few words, e.g. "Moving an active device needs a reason".
        public let title: String

        public init(_ name: String, _ title: String) {
            self.name = name
            self.title = title
        }
    }

    public let code: Code
    public let message: String
    public let issues: [FieldIssue]
    /// The rule refused by, if the refusal is one of the named rules.
    public let rule: Rule?

    public init(_ code: Code, _ message: String, issues: [FieldIssue] = [], rule: Rule? = nil) {
        self.code = code
        self.message = message
        self.issues = issues
        self.rule = rule
    }

    public static func invalid(_ issues: [FieldIssue]) -> DomainError {
        DomainError(.invalid, issues.map(\.description).joined(separator: "; "), issues: issues)
    }

    public static func invalid(_ field: String, _ message: String) -> DomainError {
        invalid([FieldIssue(field, message)])
    }

    public var description: String { message }
}

/// Small text rules shared by the registry's validators.
public enum TextRule {
    /// 1...max characters, no control characters (names, addresses and labels may be Chinese).
    public static func check(_ value: String, field: String, max: Int, into issues: inout [FieldIssue]) {
        if value.trimmingCharacters(in: .whitespaces).isEmpty {
            issues.append(FieldIssue(field, "\(field) is required"))
        } else if value.count > max {
            issues.append(FieldIssue(field, "\(field) is \(value.count) characters, more than \(max)"))
        } else if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            issues.append(FieldIssue(field, "\(field) must not contain control characters"))
        }
    }

    /// Whether every byte is in `allowed` and the length is in `lengths`.
    static func matches(_ value: String, lengths: ClosedRange<Int>, allowed: (UInt8) -> Bool) -> Bool {
        lengths.contains(value.utf8.count) && value.utf8.allSatisfy(allowed)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    static func isLower(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
    static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
}
