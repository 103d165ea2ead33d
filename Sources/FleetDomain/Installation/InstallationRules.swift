import Foundation

/// Who may take which device where: the rules that keep an installer from taking devices out of another
/// county and a claim code from capturing a device in service elsewhere.
///
/// An installer (token or claim code) may take a device that has no site yet (unassigned, provisioned,
/// or registered but never installed), or one planned for or installed at the destination site itself,
/// or — a token only — one at a site in its counties. Moving an `active` device from one site to another
/// needs an admin or an installer of both counties, and a reason; it is recorded as a move.
public enum InstallationRules {
    /// What an allowed installation is.
    public enum Kind: Sendable, Equatable {
        /// The device had no site, or stays at its site, or was only planned for another one.
        case install
        /// The device was active at `from`, another site.
        case move(from: Site)
    }

    /// What the rules look at: the device, where it is now, where it should go, who asks and why.
    public struct Request: Sendable {
        public var device: Device
        /// The device's site now, if it has one (planned by an import, or installed).
        public var currentSite: Site?
        public var destination: Site
        public var authority: Installing.Authority
        public var reason: String?

        public init(device: Device, currentSite: Site?, destination: Site, authority: Installing.Authority, reason: String?) {
            self.device = device
            self.currentSite = currentSite
            self.destination = destination
            self.authority = authority
            self.reason = reason
        }
    }

    public static let installerCounties = DomainError.Rule(
        "installer-counties", "An installer works in its counties only")
    public static let deviceInOtherCounty = DomainError.Rule(
        "device-in-other-county", "An installer takes devices only from sites in its counties")
    public static let claimForNewDevices = DomainError.Rule(
        "claim-for-new-devices", "A claim code installs devices without a site, or planned for its site")
    public static let moveNeedsReason = DomainError.Rule(
        "move-needs-reason", "Moving an active device to another site needs a reason")

    /// The kind of installation `request` is, or the rule that refuses it.
    public static func check(_ request: Request) -> Result<Kind, DomainError> {
        let (device, destination) = (request.device, request.destination)
        if case .token(let token) = request.authority, let refusal = scopeRefusal(token, site: destination) {
            return .failure(refusal)
        }
        guard let from = request.currentSite, from.id != destination.id else { return .success(.install) }
        let serial = device.serial
        let isActive = device.state == .active
        let whereNow = "\(isActive ? "active" : "planned") at site \(from.id) (county \(from.county))"
        switch request.authority {
        case .claim(let claim):
            return .failure(DomainError(
                .forbidden,
                "device \(serial) is \(whereNow); claim code \(claim.id) installs only devices without a site or "
                    + "planned for site \(claim.siteID): an admin, or an installer of counties \(from.county) and "
                    + "\(destination.county), can move it with a reason",
                rule: claimForNewDevices))
        case .token(let token):
            if token.role == .installer, !token.counties.contains(from.county) {
                return .failure(DomainError(
                    .forbidden,
                    "device \(serial) is \(whereNow), outside this installer token's counties (\(scope(token))); "
                        + "moving it needs an admin, or an installer of counties \(from.county) and \(destination.county)",
                    rule: deviceInOtherCounty))
            }
        }
        guard isActive else { return .success(.install) }
        guard let reason = request.reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            return .failure(DomainError(
                .conflict,
                "device \(serial) is \(whereNow); moving it to site \(destination.id) is recorded as a move and "
                    + "needs a reason (reason)",
                rule: moveNeedsReason))
        }
        return .success(.move(from: from))
    }

    /// An installer works in its counties only; admins anywhere. (Supervisors never reach here: the routes
    /// refuse them.)
    public static func scopeRefusal(_ token: StoredToken, site: Site) -> DomainError? {
        guard token.role == .installer, !token.counties.contains(site.county) else { return nil }
        return DomainError(
            .forbidden,
            "site \(site.id) is in county \(site.county), outside this installer token's counties (\(scope(token)))",
            rule: installerCounties)
    }

    private static func scope(_ token: StoredToken) -> String {
        token.counties.isEmpty ? "none" : token.counties.joined(separator: ", ")
    }
}
