import FleetDomain
import Foundation
import GRDB

// Row conversions of the registry tables (Schema+Registry.swift). Values always travel as bound arguments.
extension Columns {
    static func stringArray(_ json: String, what: String) throws -> [String] {
        do {
            return try JSONDecoder().decode([String].self, from: Data(json.utf8))
        } catch {
            throw StoreError(.corrupt, "\(what) are not a JSON array of strings")
        }
    }

    // MARK: certified models

    static let modelList = """
        code, manufacturer, certification_number, valid_from, valid_until, rated_current_a, poles, capabilities,
        psk_key_bytes
        """

    static func modelArguments(_ model: CertifiedModel) throws -> StatementArguments {
        [model.code, model.manufacturer, model.certificationNumber, model.validFrom.unixSeconds,
         model.validUntil.unixSeconds, model.ratedCurrentA, model.poles,
         try capabilitiesJSON(model.capabilities.map(\.rawValue)), model.presharedKeyBytes]
    }

    static func model(_ row: Row) throws -> CertifiedModel {
        let code: String = row[0]
        return CertifiedModel(
            code: code, manufacturer: row[1], certificationNumber: row[2],
            validFrom: Date(timeIntervalSince1970: row[3]), validUntil: Date(timeIntervalSince1970: row[4]),
            ratedCurrentA: row[5], poles: row[6],
            capabilities: try stringArray(row[7], what: "capabilities of model \(code)").map {
                try enumValue(ModelCapability.self, $0, "model capability")
            },
            presharedKeyBytes: row[8])
    }

    // MARK: sites

    static let siteList = "id, name, category, county, address, manager_name, manager_phone, manager_webhook"

    static func siteArguments(_ site: Site) -> StatementArguments {
        [site.id, site.name, site.category.rawValue, site.county, site.address, site.manager.name,
         site.manager.phone, site.manager.webhookURL]
    }

    static func site(_ row: Row) throws -> Site {
        Site(
            id: row[0], name: row[1], category: try enumValue(SiteCategory.self, row[2], "site category"),
            county: row[3], address: row[4],
            manager: SiteManager(name: row[5], phone: row[6], webhookURL: row[7]))
    }

    // MARK: installations

    static let installationList = "id, serial, site_id, circuit, method, installed_by, at, rekeyed, moved_from, reason"
    static let installationPlaceholders = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?"

    static func installationArguments(_ installation: Installation) -> StatementArguments {
        [installation.id, installation.serial.rawValue, installation.siteID, installation.circuit,
         installation.method.rawValue, installation.installedBy, installation.at.unixSeconds, installation.rekeyed,
         installation.movedFrom, installation.reason]
    }

    static func installation(_ row: Row) throws -> Installation {
        Installation(
            id: row[0], serial: try serial(row[1]), siteID: row[2], circuit: row[3],
            method: try enumValue(Installation.Method.self, row[4], "installation method"),
            installedBy: row[5], at: Date(timeIntervalSince1970: row[6]), rekeyed: row[7], movedFrom: row[8],
            reason: row[9])
    }

    static func assignment(_ row: Row) throws -> Assignment {
        Assignment(serial: try serial(row[0]), siteID: row[1], circuit: row[2])
    }

    // MARK: claim codes

    static let claimList = "id, hash, site_id, created_by, created_at, expires_at, redeemed_at, redeemed_serial"

    static func claim(_ row: Row) throws -> ClaimCode {
        let redeemed: String? = row[7]
        return ClaimCode(
            id: row[0], hash: row[1], siteID: row[2], createdBy: row[3],
            createdAt: Date(timeIntervalSince1970: row[4]), expiresAt: Date(timeIntervalSince1970: row[5]),
            redeemedAt: date(row[6]), redeemedSerial: try redeemed.map(serial))
    }

    // MARK: retirements and bans

    static func retirement(_ row: Row) throws -> Retirement {
        Retirement(
            serial: try serial(row[0]), state: try enumValue(DeviceState.self, row[1], "device state"),
            reason: row[2], by: row[3], at: Date(timeIntervalSince1970: row[4]))
    }

    static func ban(_ row: Row) throws -> Ban {
        Ban(kind: try enumValue(Ban.Kind.self, row[0], "ban kind"), subject: row[1], name: row[5], reason: row[2],
            by: row[3], at: Date(timeIntervalSince1970: row[4]))
    }
}
