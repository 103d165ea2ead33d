import Foundation

/// A site (用电单位): where devices are installed, in one county and one of the notice's ten categories.
public struct Site: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var category: SiteCategory
    /// Six-digit administrative division code, e.g. 140802 (Yanhu District, Yuncheng).
    public var county: String
    public var address: String
    public var manager: SiteManager

    public init(id: String, name: String, category: SiteCategory, county: String, address: String, manager: SiteManager) {
        self.id = id
        self.name = name
        self.category = category
        self.county = county
        self.address = address
        self.manager = manager
    }

    public static let idRule = "[a-z0-9-]{1,64}"

    public static func isValidID(_ id: String) -> Bool {
        TextRule.matches(id, lengths: 1...64) { TextRule.isLower($0) || TextRule.isDigit($0) || $0 == UInt8(ascii: "-") }
    }

    /// The ten categories of the notice, as a site may have them (`default` is a profile key only).
    public static let categoryList = SiteCategory.noticeCategories.map(\.rawValue).joined(separator: ", ")

    /// Every broken rule, each naming its field and the bound; the webhook as `webhooks` allows.
    public func validate(webhooks: WebhookPolicy = WebhookPolicy()) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if !Self.isValidID(id) { issues.append(FieldIssue("id", "id must match \(Self.idRule)")) }
        if category == .default { issues.append(FieldIssue("category", "category must be one of: \(Self.categoryList)")) }
        TextRule.check(name, field: "name", max: 128, into: &issues)
        if !County.isValid(county) { issues.append(FieldIssue("county", "county must be \(County.rule)")) }
        TextRule.check(address, field: "address", max: 256, into: &issues)
        issues += manager.validate(webhooks: webhooks)
        return issues
    }
}

/// Who is told about the site's alarms.
public struct SiteManager: Sendable, Equatable, Codable {
    public var name: String
    public var phone: String
    /// Where alarm notifications are POSTed; https only, as they carry site details.
    public var webhookURL: String?

    public init(name: String, phone: String, webhookURL: String? = nil) {
        self.name = name
        self.phone = phone
        self.webhookURL = webhookURL
    }

    public static let phoneRule = "5–20 characters of digits, '+', '-', ' ' (e.g. +86 359 1234567)"

    public func validate(webhooks: WebhookPolicy = WebhookPolicy()) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        TextRule.check(name, field: "manager.name", max: 64, into: &issues)
        let phoneOK = TextRule.matches(phone, lengths: 5...20) { byte in
            TextRule.isDigit(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: " ")
        }
        if !phoneOK { issues.append(FieldIssue("manager.phone", "manager.phone must be \(Self.phoneRule)")) }
        if let webhookURL, let refusal = webhooks.refusal(of: webhookURL) {
            issues.append(FieldIssue("manager.webhook_url", "manager.webhook_url: \(refusal)"))
        }
        return issues
    }

}

/// The administrative division code of a county (区县): six ASCII digits.
public enum County {
    public static let rule = "six digits (an administrative division code such as 140802)"

    public static func isValid(_ code: String) -> Bool {
        TextRule.matches(code, lengths: 6...6, allowed: TextRule.isDigit)
    }
}
