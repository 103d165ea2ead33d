import CoAPTransport
import FleetDomain
import Foundation

/// The fleet CA's side of EST renewal, handed to the gateway by the composition root (the gateway knows no
/// X.509): what `/crts` answers, and the issuing of a certificate from a CSR.
public struct CertificateRenewal: Sendable {
    /// The CA certificates a device needs (root, issuing CAs) as PKCS#7 certs-only DER.
    public var authorityCertificatesPKCS7: [UInt8]
    /// The root alone, for a device that accepts one certificate (`application/pkix-cert`).
    public var rootCertificateDER: [UInt8]
    /// Issues a certificate for `serial` from a DER CSR whose CN must be the serial and whose signature must
    /// verify; throws an error whose description the device is told.
    public var issue: @Sendable (_ serial: Serial, _ csrDER: [UInt8], _ now: Date) throws -> (certificateDER: [UInt8], binding: BoundCertificate)

    public init(
        authorityCertificatesPKCS7: [UInt8], rootCertificateDER: [UInt8],
        issue: @escaping @Sendable (Serial, [UInt8], Date) throws -> (certificateDER: [UInt8], binding: BoundCertificate)
    ) {
        self.authorityCertificatesPKCS7 = authorityCertificatesPKCS7
        self.rootCertificateDER = rootCertificateDER
        self.issue = issue
    }
}

/// EST over CoAPS (RFC 9148) on the device endpoint: `/.well-known/est/crts` gives the CA certificates and
/// `/.well-known/est/sren` re-enrolls. The session's certificate says who renews; the CSR only brings the
/// new key, and it must be one never bound to the device before. The new certificate is bound at once and
/// the old one keeps working for the overlap window.
extension DeviceGateway {
    static let estCertificatesPath = ".well-known/est/crts"
    static let estRenewalPath = ".well-known/est/sren"
    /// Renewal attempts one device may make per `renewalWindow`: each costs a CSR check and a signature on the
    /// loop thread, and a real device renews once in years.
    static let renewalsPerWindow = 3
    static let renewalWindow: TimeInterval = 600

    func authorityCertificates(_ request: CoAPRequest) -> CoAPResponse {
        guard request.method == .get else { return .error(.methodNotAllowed, "GET only") }
        guard let renewal else { return .error(.serviceUnavailable, "certificate enrollment is not available") }
        switch request.accept {
        case nil, ContentFormat.pkcs7CertsOnly?:
            return CoAPResponse(.content, contentFormat: .pkcs7CertsOnly, payload: renewal.authorityCertificatesPKCS7)
        case ContentFormat.pkixCert?:
            return CoAPResponse(.content, contentFormat: .pkixCert, payload: renewal.rootCertificateDER)
        case let other?:
            return .error(.notAcceptable, "Accept \(other.rawValue): /crts answers 281 (PKCS#7 certs-only) or 287 (the root)")
        }
    }

    func renewCertificate(_ request: CoAPRequest) -> CoAPResponse {
        guard let renewal else { return .error(.serviceUnavailable, "certificate enrollment is not available") }
        if request.peer?.credential == .presharedKey {
            return .error(.forbidden, "a PSK device has no certificate to renew")
        }
        return handle(request, method: .post, format: .pkcs10, requireKnown: true) { identity, now in
            guard let peer = request.peer else { return .error(.forbidden, "no certificate") }
            if let wait = admitRenewalAttempt(identity.serial, at: now) {
                refuse(peer, .renewalRefused, "more than \(Self.renewalsPerWindow) renewals in \(Int(Self.renewalWindow)) s", at: now)
                return .error(.tooManyRequests, "at most \(Self.renewalsPerWindow) renewals per \(Int(Self.renewalWindow / 60)) minutes: retry in \(wait) s",
                              maxAge: UInt32(wait))
            }
            let bindings = state.bindings[identity.serial] ?? CertificateBindings()
            let issued: (certificateDER: [UInt8], binding: BoundCertificate)
            do {
                issued = try renewal.issue(identity.serial, Array(request.payload), now)
            } catch {
                return refuseRenewal(peer, "\(error)", at: now)
            }
            if let key = issued.binding.publicKeyFingerprint,
               bindings.hasUsed(publicKey: key) || key.bytes == peer.publicKeyFingerprint {
                return refuseRenewal(peer, "the CSR's key was already bound to \(identity.serial): generate a new key", at: now)
            }
            state.bindings[identity.serial, default: CertificateBindings()].bind(issued.binding)
            certificateBound?(issued.binding, identity.serial)
            logger.notice("certificate renewed", metadata: [
                "serial": "\(identity.serial)", "fingerprint": "\(issued.binding.fingerprint.short)"])
            return CoAPResponse(.changed, contentFormat: .pkixCert, payload: issued.certificateDER)
        }
    }

    /// Records an attempt; returns the seconds to wait when the device already used up its window.
    private func admitRenewalAttempt(_ serial: Serial, at now: Date) -> Int? {
        var recent = (state.renewalAttempts[serial] ?? []).filter { now.timeIntervalSince($0) < Self.renewalWindow }
        if recent.count >= Self.renewalsPerWindow, let oldest = recent.min() {
            state.renewalAttempts[serial] = recent
            return max(1, Int((oldest.addingTimeInterval(Self.renewalWindow).timeIntervalSince(now)).rounded(.up)))
        }
        recent.append(now)
        state.renewalAttempts[serial] = recent
        return nil
    }

    private func refuseRenewal(_ peer: PeerIdentity, _ reason: String, at now: Date) -> CoAPResponse {
        refuse(peer, .renewalRefused, reason, at: now)
        return .error(.badRequest, reason)
    }
}
