import FleetDomain

/// Every identifier a route takes — from its path, its query or its body — passes one of these before it
/// reaches the store, so each kind of identifier has one rule everywhere. Besides precise errors this is a
/// safety rule: SQLite binds text up to its first NUL, so an unchecked `site-a\u{0}zzz` would find `site-a`.
enum Identifier {
    static func site(_ raw: String, field: String = "site") throws -> String {
        guard Site.isValidID(raw) else { throw Problem.validation(field: field, "\(field) must match \(Site.idRule)") }
        return raw
    }

    static func model(_ raw: String, field: String = "code") throws -> String {
        guard Provisioning.isValidModel(raw) else { throw Problem.validation(field: field, "\(field) must be \(Provisioning.modelPattern)") }
        return raw
    }

    static func profile(_ raw: String, field: String = "id") throws -> String {
        guard ThresholdProfile.isValidID(raw) else { throw Problem.validation(field: field, "\(field) is not a profile id") }
        return raw
    }

    /// Token ids are lowercase UUIDs; older ones may be other short ids of the same alphabet.
    static func token(_ raw: String, field: String = "id") throws -> String {
        guard Site.isValidID(raw) else { throw Problem.validation(field: field, "\(field) must match \(Site.idRule)") }
        return raw
    }
}
