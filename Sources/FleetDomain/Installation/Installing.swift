import Foundation

/// Signs a device's CSR with the fleet CA; implemented by FleetPKI so the domain knows no X.509.
public protocol CSRSigning: Sendable {
    /// The device's operational certificate (PEM) for the key in `csrPEM`, and the fleet CA's certificate.
    /// Throws `DomainError.invalid("csr", …)` when the CSR is unusable (bad signature, wrong CN, not P-256).
    func signDeviceCSR(serial: Serial, csrPEM: String) throws -> SignedCertificate
}

/// Installation in the field: a device is bound to a site and a circuit and becomes `active`.
public struct Installing: Sendable {
    public typealias Store = DeviceStore & SiteStore & InstallationStore & ModelStore & LifecycleStore

    public struct Request: Sendable {
        public var serial: Serial
        public var siteID: String
        public var circuit: String
        /// A CSR to re-key the device with: it gets an operational certificate, its key never leaves it.
        public var csrPEM: String?
        /// Why: required to move an active device from another site, kept with any installation.
        public var reason: String?

        public init(serial: Serial, siteID: String, circuit: String, csrPEM: String? = nil, reason: String? = nil) {
            self.serial = serial
            self.siteID = siteID
            self.circuit = circuit
            self.csrPEM = csrPEM
            self.reason = reason
        }
    }

    /// What entitles the caller: a token (an installer's is scoped to its counties) or a claim code.
    public enum Authority: Sendable {
        case token(StoredToken)
        case claim(ClaimCode)
    }

    public struct Outcome: Sendable {
        public var device: Device
        public var installation: Installation
        public var certificatePEM: String?
        public var caCertificatePEM: String?
    }

    let store: any Store
    let signer: any CSRSigning
    /// Where installation ids come from.
    let random: any RandomSource
    let deviceChanged: @Sendable (Device) -> Void
    /// Binds a re-keyed device's new certificate (its old one keeps working for the overlap window).
    let bindCertificate: CertificateBinder

    public init(
        store: any Store, signer: any CSRSigning, random: any RandomSource,
        deviceChanged: @escaping @Sendable (Device) -> Void, bindCertificate: @escaping CertificateBinder = { _, _ in }
    ) {
        self.bindCertificate = bindCertificate
        self.store = store
        self.signer = signer
        self.random = random
        self.deviceChanged = deviceChanged
    }

    /// Checks everything before writing anything (the installation rules, the model, the CSR), then records
    /// the installation in one transaction; a refusal changes nothing and issues no certificate.
    public func install(_ request: Request, authority: Authority, now: Date) async throws -> Outcome {
        try Self.validate(request)
        guard let site = try await store.site(request.siteID) else {
            throw DomainError(.notFound, "no site \(request.siteID)")
        }
        if case .claim(let claim) = authority {
            guard claim.siteID == site.id else {
                throw DomainError(.forbidden, "claim code \(claim.id) is for site \(claim.siteID), not \(site.id)")
            }
            if let refusal = claim.refusal(at: now) { throw refusal }
        }
        guard let device = try await store.device(request.serial) else {
            throw DomainError(.notFound, "no device \(request.serial)")
        }
        _ = try Installation.nextState(of: device).get()
        let current = try await store.assignment(of: device.serial)
        var currentSite: Site?
        if let current { currentSite = try await store.site(current.siteID) }
        let kind = try InstallationRules.check(.init(
            device: device, currentSite: currentSite, destination: site, authority: authority, reason: request.reason)).get()
        if let refusal = try await store.certificationRegistry().refusal(device.model, at: now) {
            throw DomainError(.conflict, "\(refusal): device \(device.serial) cannot be installed")
        }
        // Signed before anything is written, so a bad CSR changes nothing; if recording then fails, the
        // certificate is never handed out.
        let signed = try request.csrPEM.map { try signer.signDeviceCSR(serial: device.serial, csrPEM: $0) }
        let (method, installedBy, claimID) = Self.credit(authority)
        var movedFrom: String?
        if case .move(let from) = kind { movedFrom = from.id }
        let installation = Installation(
            id: random.identifier(), serial: device.serial, siteID: site.id, circuit: request.circuit, method: method,
            installedBy: installedBy, at: now, rekeyed: signed != nil, movedFrom: movedFrom, reason: request.reason)
        let stored: Device
        do {
            stored = try await store.recordInstallation(installation, claimID: claimID, expectingSite: current?.siteID)
        } catch let error as StoreError where error.code == .conflict {
            throw DomainError(claimID != nil && error.message.hasPrefix("claim") ? .gone : .conflict, error.message)
        }
        if let binding = signed?.binding { try await bindCertificate(binding, stored.serial) }
        deviceChanged(stored)
        return Outcome(device: stored, installation: installation, certificatePEM: signed?.certificatePEM,
                       caCertificatePEM: signed?.caCertificatePEM)
    }

    private static func validate(_ request: Request) throws {
        var issues: [FieldIssue] = []
        if let issue = Installation.circuitIssue(request.circuit) { issues.append(issue) }
        if !Site.isValidID(request.siteID) { issues.append(FieldIssue("site", "site must match \(Site.idRule)")) }
        if let csr = request.csrPEM, csr.isEmpty { issues.append(FieldIssue("csr", "csr is empty")) }
        if let reason = request.reason, let issue = Retirement.reasonIssue(reason) { issues.append(issue) }
        guard issues.isEmpty else { throw DomainError.invalid(issues) }
    }

    /// How the installation is recorded: the method, who to ask about it, and the claim code it uses up.
    private static func credit(_ authority: Authority) -> (Installation.Method, String, claimID: String?) {
        switch authority {
        case .token(let token): (.token, token.name, nil)
        case .claim(let claim): (.claim, "claim:\(claim.id)", claim.id)
        }
    }

    /// An installer works in its counties only; admins anywhere. (Supervisors never reach here: the routes
    /// refuse them.)
    public static func checkScope(_ token: StoredToken, site: Site) throws {
        if let refusal = InstallationRules.scopeRefusal(token, site: site) { throw refusal }
    }
}
