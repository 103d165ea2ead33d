import FleetDomain
import Foundation
import Hummingbird

/// Reads a JSON object body field by field, collecting every missing or mistyped field so one 400 names
/// them all (the registry bodies have too many optional parts for a `Decodable` per endpoint to read well).
struct BodyFields {
    private let object: [String: Any]
    /// Prefix for nested objects (`manager.`), so errors name the full path.
    private let prefix: String
    private(set) var issues: [FieldIssue] = []

    init(object: [String: Any], prefix: String = "") {
        self.object = object
        self.prefix = prefix
    }

    /// The body of `request` as a JSON object, at most `limit` bytes.
    static func read(_ request: Request, context: AdminRequestContext, limit: Int? = nil) async throws -> BodyFields {
        let data: Data
        if let limit {
            do {
                data = Data(try await request.body.collect(upTo: limit).readableBytesView)
            } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
                throw Problem.contentTooLarge(limit: limit)
            }
        } else {
            data = try await JSONBody.collect(request, context: context)
        }
        guard !data.isEmpty else { throw Problem.badRequest("request body is empty; expected a JSON object") }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw Problem.badRequest("request body is not valid JSON: \((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)")")
        }
        guard let object = parsed as? [String: Any] else { throw Problem.badRequest("request body must be a JSON object") }
        return BodyFields(object: object)
    }

    private func name(_ key: String) -> String { prefix + key }

    private func value(_ key: String) -> Any? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        return value
    }

    mutating func missing(_ key: String) {
        issues.append(FieldIssue(name(key), "\(name(key)) is required"))
    }

    mutating func wrongType(_ key: String, _ expected: String) {
        issues.append(FieldIssue(name(key), "\(name(key)) must be \(expected)"))
    }

    mutating func string(_ key: String, required: Bool = true) -> String? {
        guard let raw = value(key) else {
            if required { missing(key) }
            return nil
        }
        guard let text = raw as? String else { wrongType(key, "a string"); return nil }
        return text
    }

    mutating func number(_ key: String, required: Bool = true) -> Double? {
        guard let raw = value(key) else {
            if required { missing(key) }
            return nil
        }
        guard let number = raw as? NSNumber, !(raw is String) else { wrongType(key, "a number"); return nil }
        return number.doubleValue
    }

    mutating func integer(_ key: String, required: Bool = true) -> Int? {
        guard let number = number(key, required: required) else { return nil }
        guard number.rounded() == number, abs(number) < 1e15 else { wrongType(key, "an integer"); return nil }
        return Int(number)
    }

    /// RFC 3339 (`2026-01-01T00:00:00Z`) or a plain date (`2026-01-01`, midnight UTC).
    mutating func date(_ key: String, required: Bool = true) -> Date? {
        guard let text = string(key, required: required) else { return nil }
        if let date = ISO8601DateFormatter().date(from: text) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        if let date = day.date(from: text) { return date }
        wrongType(key, "a date such as 2026-01-01 or 2026-01-01T00:00:00Z")
        return nil
    }

    mutating func strings(_ key: String, required: Bool = true) -> [String]? {
        guard let raw = value(key) else {
            if required { missing(key) }
            return nil
        }
        guard let list = raw as? [Any], let strings = list as? [String] else {
            wrongType(key, "an array of strings")
            return nil
        }
        return strings
    }

    /// A nested object; its issues are merged back with `merge`.
    mutating func object(_ key: String, required: Bool = true) -> BodyFields? {
        guard let raw = value(key) else {
            if required { missing(key) }
            return nil
        }
        guard let nested = raw as? [String: Any] else { wrongType(key, "an object"); return nil }
        return BodyFields(object: nested, prefix: name(key) + ".")
    }

    mutating func merge(_ nested: BodyFields?) {
        issues += nested?.issues ?? []
    }

    mutating func add(_ more: [FieldIssue]) { issues += more }

    /// Throws a 400 naming every collected issue.
    func validate() throws {
        if !issues.isEmpty { throw Problem(domain: .invalid(issues)) }
    }
}
