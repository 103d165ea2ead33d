import Crypto
import FleetDomain
import Foundation
import SwiftASN1
import X509

extension CertificateAuthority {
    /// Issues the CoAP server's certificate: CN, SAN DNS names + IP addresses (clients verify the
    /// SAN, not the CN), EKU serverAuth + clientAuth, keyUsage digitalSignature, fresh P-256 key.
    public func issueServerCertificate(
        commonName: String,
        dnsNames: [String],
        ipAddresses: [String],
        validFor: TimeInterval = 2 * CertificateAuthority.year,
        now: Date = Date()
    ) throws -> IssuedCredential {
        try CertificateProfile.validateCommonName(commonName)
        var names: [GeneralName] = try dnsNames.map { .dnsName(try CertificateProfile.validatedDNSName($0)) }
        for address in ipAddresses {
            guard let bytes = CertificateProfile.ipAddressBytes(address) else {
                throw PKIError(.invalidName, "\(String(reflecting: address)) is not an IPv4 or IPv6 address")
            }
            names.append(.ipAddress(ASN1OctetString(contentBytes: bytes[...])))
        }
        let key = P256.Signing.PrivateKey()
        let certificate = try sign(
            subject: try DistinguishedName { CommonName(commonName) },
            publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now - CertificateAuthority.clockSkewAllowance,
            notValidAfter: now + validFor,
            usages: [.serverAuth, .clientAuth],
            subjectAlternativeNames: names,
            now: now
        )
        return try IssuedCredential(certificate: certificate, privateKey: key)
    }

    /// Issues a device's operational certificate with a freshly generated P-256 key.
    ///
    /// The subject is exactly `CN=<serial>` and there is no SAN: the server derives the device
    /// identity from the CN alone, so nothing else in the name may compete with it. The serial must
    /// satisfy `Serial.rule`; a certificate the server would refuse is not worth issuing.
    /// Valid from `now` (less the clock skew allowance) for ten years unless the dates are given, so tests
    /// can mint expired / not-yet-valid certificates; notValidAfter is clamped to the CA's own expiry.
    public func issueDeviceCertificate(
        serial: String,
        now: Date = Date(),
        notValidBefore: Date? = nil,
        notValidAfter: Date? = nil
    ) throws -> IssuedCredential {
        let key = P256.Signing.PrivateKey()
        let certificate = try signDevice(
            serial: serial,
            publicKey: Certificate.PublicKey(key.publicKey),
            now: now,
            notValidBefore: notValidBefore,
            notValidAfter: notValidAfter
        )
        return try IssuedCredential(certificate: certificate, privateKey: key)
    }

    /// Issues a device certificate for a key the device keeps, taken from a PEM CSR
    /// (`-----BEGIN CERTIFICATE REQUEST-----`). The CSR's signature must verify (proof the device
    /// holds the key), its key must be P-256, and its subject CN must equal `serial` exactly.
    /// Anything else the CSR asks for (extensions, other name parts) is ignored: the CA decides.
    /// The result has no private key (`hasPrivateKey == false`).
    public func issueDeviceCertificate(
        serial: String,
        csrPEM: String,
        now: Date = Date(),
        notValidBefore: Date? = nil,
        notValidAfter: Date? = nil
    ) throws -> IssuedCredential {
        let csr: CertificateSigningRequest
        do {
            csr = try CertificateSigningRequest(pemEncoded: csrPEM)
        } catch {
            throw PKIError(.invalidCSR, "not a PEM certificate signing request: \(error)")
        }
        guard csr.publicKey.isValidSignature(csr.signature, for: csr) else {
            throw PKIError(.csrSignatureInvalid, "CSR signature does not verify with its own public key")
        }
        guard P256.Signing.PublicKey(csr.publicKey) != nil else {
            throw PKIError(.unsupportedKeyType, "CSR key is not ECDSA P-256")
        }
        let requested = CertificateInspector.commonName(of: csr.subject)
        guard requested == serial else {
            throw PKIError(
                .csrCommonNameMismatch,
                "CSR subject CN \(requested.map { String(reflecting: $0) } ?? "(none)") is not serial \(String(reflecting: serial))"
            )
        }
        let certificate = try signDevice(
            serial: serial,
            publicKey: csr.publicKey,
            now: now,
            notValidBefore: notValidBefore,
            notValidAfter: notValidAfter
        )
        return try IssuedCredential(certificate: certificate, privateKey: nil)
    }

    private func signDevice(
        serial: String,
        publicKey: Certificate.PublicKey,
        now: Date,
        notValidBefore: Date?,
        notValidAfter: Date?
    ) throws -> Certificate {
        guard Serial.isValid(serial) else {
            throw PKIError(.invalidSerial, "serial \(String(reflecting: serial)) does not match \(Serial.rule)")
        }
        return try sign(
            subject: try DistinguishedName { CommonName(serial) },
            publicKey: publicKey,
            notValidBefore: notValidBefore ?? now - CertificateAuthority.clockSkewAllowance,
            notValidAfter: notValidAfter ?? now + 10 * CertificateAuthority.year,
            usages: [.clientAuth],
            subjectAlternativeNames: [],
            now: now
        )
    }

    private func sign(
        subject: DistinguishedName,
        publicKey: Certificate.PublicKey,
        notValidBefore: Date,
        notValidAfter requestedNotAfter: Date,
        usages: [ExtendedKeyUsage.Usage],
        subjectAlternativeNames: [GeneralName],
        now: Date
    ) throws -> Certificate {
        guard certificate.notValidAfter > now else {
            throw PKIError(.authorityExpired, "CA \(commonName) expired at \(certificate.notValidAfter)")
        }
        // A leaf outliving its CA would just fail verification later with a confusing error.
        let notValidAfter = min(requestedNotAfter, certificate.notValidAfter)
        guard notValidBefore < notValidAfter else {
            throw PKIError(.invalidValidity, "notValidBefore \(notValidBefore) is not before notValidAfter \(notValidAfter)")
        }
        return try Certificate(
            version: .v3,
            serialNumber: CertificateProfile.randomSerialNumber(),
            publicKey: publicKey,
            notValidBefore: notValidBefore,
            notValidAfter: notValidAfter,
            issuer: certificate.subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try CertificateProfile.leafExtensions(
                publicKey: publicKey,
                issuerKeyID: keyIdentifier,
                usages: usages,
                subjectAlternativeNames: subjectAlternativeNames
            ),
            issuerPrivateKey: Certificate.PrivateKey(signingKey)
        )
    }
}
