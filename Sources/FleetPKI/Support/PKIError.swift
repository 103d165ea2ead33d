/// Every failure FleetPKI reports: a stable machine-readable `code` plus a human message.
///
/// A struct with open-ended codes (rather than an enum) so new failure kinds can be added without
/// breaking exhaustive `switch`es in the CLI or server; callers match on `code` when they care.
public struct PKIError: Error, CustomStringConvertible, Sendable, Equatable {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A device serial that does not match the fleet's serial rule (`Serial.rule`).
        public static let invalidSerial = Code(rawValue: "invalidSerial")
        /// A common name, DNS name or IP address that cannot go into a certificate.
        public static let invalidName = Code(rawValue: "invalidName")
        /// notValidBefore is not earlier than notValidAfter (after clamping to the CA's lifetime).
        public static let invalidValidity = Code(rawValue: "invalidValidity")
        /// PEM/DER that does not parse as a certificate.
        public static let invalidCertificate = Code(rawValue: "invalidCertificate")
        /// PEM/DER that does not parse as a private key.
        public static let invalidPrivateKey = Code(rawValue: "invalidPrivateKey")
        /// A key that is not ECDSA P-256 (the only algorithm the fleet uses).
        public static let unsupportedKeyType = Code(rawValue: "unsupportedKeyType")
        /// A private key that does not belong to the certificate it was paired with.
        public static let keyMismatch = Code(rawValue: "keyMismatch")
        /// A certificate loaded as the fleet CA that is not a CA (basicConstraints CA:false or absent).
        public static let notACertificateAuthority = Code(rawValue: "notACertificateAuthority")
        /// The CA's own certificate has expired, so nothing it signs would verify.
        public static let authorityExpired = Code(rawValue: "authorityExpired")
        /// A certificate on disk that the fleet CA did not sign (e.g. server.crt from another CA).
        public static let notIssuedByAuthority = Code(rawValue: "notIssuedByAuthority")
        /// A CSR that does not parse.
        public static let invalidCSR = Code(rawValue: "invalidCSR")
        /// A CSR whose self-signature does not verify (proof of possession failed).
        public static let csrSignatureInvalid = Code(rawValue: "csrSignatureInvalid")
        /// A CSR whose subject CN is not the serial the certificate is being issued for.
        public static let csrCommonNameMismatch = Code(rawValue: "csrCommonNameMismatch")
        /// `PKIDirectory.initialize` without `force` when a CA already exists there.
        public static let authorityExists = Code(rawValue: "authorityExists")
        /// A file the PKI directory layout requires is missing.
        public static let missingFile = Code(rawValue: "missingFile")
        /// A private key file that other users can read or write.
        public static let insecureKeyPermissions = Code(rawValue: "insecureKeyPermissions")
        /// A file in `manufacturers/` that is unreadable, not a PEM certificate bundle, or holds a certificate
        /// that is not a valid CA at load time.
        public static let invalidManufacturerCA = Code(rawValue: "invalidManufacturerCA")
        /// A fleet CA certificate (root, issuing CA, previous issuing CA) that cannot be trusted: not a CA,
        /// no keyCertSign, outside its validity, not signed by the root, or unreadable.
        public static let invalidTrustAnchor = Code(rawValue: "invalidTrustAnchor")
        /// A certificate (e.g. the server's) past its notValidAfter.
        public static let certificateExpired = Code(rawValue: "certificateExpired")
        /// `rotateIssuer` or `migrate` on a directory of the other layout.
        public static let wrongLayout = Code(rawValue: "wrongLayout")
        /// A filesystem operation failed (message carries the path and errno text).
        public static let io = Code(rawValue: "io")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "PKIError(\(code)): \(message)" }
}
