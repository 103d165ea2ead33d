import Foundation

/// The certified-model list as of one moment, with the bans applied: the one answer to "may a device
/// of this model be in the fleet?", for provisioning, installation, import and the device plane alike.
public struct CertificationRegistry: Sendable {
    public let models: [String: CertifiedModel]
    public let bannedModels: Set<String>

    public init(models: [CertifiedModel], bannedModels: Set<String>) {
        self.models = Dictionary(models.map { ($0.code, $0) }, uniquingKeysWith: { _, last in last })
        self.bannedModels = bannedModels
    }

    /// Whether `model` is registered, not banned, and its certificate is valid at `now`.
    public func isCertified(_ model: String, at now: Date) -> Bool {
        guard !bannedModels.contains(model), let entry = models[model] else { return false }
        return entry.isCertified(at: now)
    }

    /// The codes certified at `now`: what the device plane is told.
    public func certifiedCodes(at now: Date) -> Set<String> {
        Set(models.values.filter { isCertified($0.code, at: now) }.map(\.code))
    }

    /// Why `model` may not be used at `now`, or nil when it may; worded for the `model` field.
    public func refusal(_ model: String, at now: Date) -> String? {
        if bannedModels.contains(model) { return "model \(model) is banned" }
        guard let entry = models[model] else { return "model \(model) is not a certified model" }
        if now < entry.validFrom { return "model \(model) is certified only from \(entry.validFrom)" }
        if now >= entry.validUntil { return "model \(model)'s certification \(entry.certificationNumber) expired at \(entry.validUntil)" }
        return nil
    }
}
