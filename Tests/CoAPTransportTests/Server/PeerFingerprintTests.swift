@testable import CoAPTransport
import Crypto
import FleetTesting
import Foundation
import Logging
import Synchronization
import SwiftASN1
import X509
import XCTest

/// A DTLS peer's identity carries the fingerprints of its certificate, its issuer and its trust anchor, so
/// that decisions can be made on which certificate was shown, not only on the names in it.
final class PeerFingerprintTests: XCTestCase {
    private struct Issued {
        let der: [UInt8]
        let key: P256.Signing.PrivateKey
    }

    private func issue(_ name: String, by issuer: (name: DistinguishedName, key: P256.Signing.PrivateKey)?, ca: Bool) throws -> (Issued, DistinguishedName) {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName(name) }
        let extensions = try Certificate.Extensions {
            if ca {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                KeyUsage(keyCertSign: true)
            } else {
                KeyUsage(digitalSignature: true)
            }
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: Date() - 60, notValidAfter: Date() + 3600, issuer: issuer?.name ?? subject, subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions, issuerPrivateKey: .init(issuer?.key ?? key))
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return (Issued(der: serializer.serializedBytes, key: key), subject)
    }

    func testTheBoundIdentityCarriesTheChainsFingerprints() async throws {
        let (root, rootName) = try issue("Test Root", by: nil, ca: true)
        let (server, _) = try issue("server", by: (rootName, root.key), ca: false)
        let (device, _) = try issue("BRK-FP-0001", by: (rootName, root.key), ca: false)

        let port = FreePort.udp()
        let peers = PeerLog()
        let coap = try CoAPServer(
            configuration: .init(
                secure: .init(host: "127.0.0.1", port: port),
                credentials: .init(certificateDER: server.der, privateKeyDER: Array(server.key.derRepresentation), trustAnchorsDER: [root.der])),
            logger: Logger(label: "test"))
        coap.addResource("whoami") { request in
            if let peer = request.peer { peers.append(peer) }
            return CoAPResponse(.content)
        }
        try coap.start()
        defer { coap.stop() }

        let engine = try CoAPClientEngine(configuration: .init(contextsPerLoop: 1, nstart: 1, ackTimeout: 1))
        try engine.start()
        defer { engine.shutdown() }
        let credentials = CoAPClientCredentials(certificateDER: device.der, privateKeyDER: Array(device.key.derRepresentation), serverAuthorityDER: root.der)
        engine.connect(to: .init(host: "127.0.0.1", port: port), credentials: credentials) { session, event in
            guard event == .connected else { return }
            session.send(CoAPClientRequest(.get, "/whoami")) { _ in }
        }
        try await Deadline.wait("the request over DTLS", timeout: 20) { peers.first != nil }
        let peer = try XCTUnwrap(peers.first)
        XCTAssertEqual(peer.commonName, "BRK-FP-0001")
        XCTAssertEqual(peer.anchorCommonName, "Test Root")
        XCTAssertEqual(peer.certificateFingerprint, Array(SHA256.hash(data: device.der)))
        XCTAssertEqual(peer.issuerFingerprint, Array(SHA256.hash(data: root.der)))
        XCTAssertEqual(peer.anchorFingerprint, Array(SHA256.hash(data: root.der)))
    }
}

private final class PeerLog: Sendable {
    private let peers = Mutex<[PeerIdentity]>([])
    func append(_ peer: PeerIdentity) { peers.withLock { $0.append(peer) } }
    var first: PeerIdentity? { peers.withLock { $0.first } }
}
