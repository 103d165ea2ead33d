import FleetDomain
import Foundation
import Hummingbird

/// Reads query parameters, collecting every invalid one so a single 400 names them all.
///
/// An empty value (`?state=`) counts as absent: clients building URLs from forms send empty fields.
struct QueryReader {
    static let limitRange = 1...1000

    /// Decoded values; the first wins when a name repeats.
    private var parameters: [String: String] = [:]
    private(set) var errors: [Problem.FieldError] = []

    init(_ request: Request) {
        for (name, value) in request.uri.queryParameters where parameters[String(name)] == nil {
            parameters[String(name)] = String(value)
        }
    }

    private func value(_ name: String) -> String? {
        guard let value = parameters[name], !value.isEmpty else { return nil }
        return value
    }

    /// `limit`, an integer in 1...1000; `fallback` when absent or invalid (the error is recorded).
    mutating func limit(default fallback: Int) -> Int {
        guard let text = value("limit") else { return fallback }
        guard let limit = Int(text), Self.limitRange.contains(limit) else {
            errors.append(.init(
                field: "limit",
                message: "limit must be an integer from \(Self.limitRange.lowerBound) to \(Self.limitRange.upperBound)"))
            return fallback
        }
        return limit
    }

    mutating func state() -> DeviceState? {
        guard let text = value("state") else { return nil }
        guard let state = DeviceState(rawValue: text) else {
            let allowed = DeviceState.allCases.map(\.rawValue).joined(separator: ", ")
            errors.append(.init(field: "state", message: "state must be one of: \(allowed)"))
            return nil
        }
        return state
    }

    mutating func serial(_ name: String) -> Serial? {
        guard let text = value(name) else { return nil }
        guard let serial = Serial(text) else {
            errors.append(.init(field: name, message: "\(name) must be a serial matching \(Serial.rule)"))
            return nil
        }
        return serial
    }

    /// An integer in `range`; nil when absent or invalid (the error is recorded).
    mutating func integer(_ name: String, in range: ClosedRange<Int>) -> Int? {
        guard let text = value(name) else { return nil }
        guard let number = Int(text), range.contains(number) else {
            errors.append(.init(field: name, message: "\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)"))
            return nil
        }
        return number
    }

    /// A value that must satisfy `isValid` (`rule` says how, in the error); nil when absent or invalid.
    mutating func text(_ name: String, rule: String, isValid: (String) -> Bool) -> String? {
        guard let text = value(name) else { return nil }
        guard isValid(text) else {
            errors.append(.init(field: name, message: "\(name) must be \(rule)"))
            return nil
        }
        return text
    }

    /// Throws the collected errors, if any.
    func validate() throws {
        if !errors.isEmpty { throw Problem.validation(errors) }
    }
}

extension QueryReader {
    /// Free text of at most `maxLength` characters; nil when absent or too long (the error is recorded).
    mutating func text(_ name: String, maxLength: Int) -> String? {
        guard let text = value(name) else { return nil }
        guard text.count <= maxLength else {
            errors.append(.init(field: name, message: "\(name) is longer than \(maxLength) characters"))
            return nil
        }
        return text
    }

    /// An RFC 3339 time (`2026-12-01T00:00:00Z`, fractions of a second allowed); nil when absent or invalid.
    mutating func time(_ name: String) -> Date? {
        guard let text = value(name) else { return nil }
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = plain.date(from: text) ?? fractional.date(from: text) else {
            errors.append(.init(field: name, message: "\(name) must be an RFC 3339 time such as 2026-12-01T00:00:00Z"))
            return nil
        }
        return date
    }
}
