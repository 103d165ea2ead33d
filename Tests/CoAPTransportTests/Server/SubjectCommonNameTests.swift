@testable import CoAPTransport
import Crypto
import Foundation
import SwiftASN1
import X509
import XCTest

/// The name a certificate binds a session to: exactly one subject CN, UTF-8 text whatever ASN.1 string type
/// carried it, never cut short. Anything else is refused (the handshake then fails at the CN callback).
final class SubjectCommonNameTests: XCTestCase {
    private func certificateDER(_ subject: DistinguishedName) throws -> [UInt8] {
        let key = P256.Signing.PrivateKey()
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: Date(), notValidAfter: Date() + 3600, issuer: subject, subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256, extensions: .init(), issuerPrivateKey: .init(key))
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }

    private func commonName(_ value: RelativeDistinguishedName.Attribute.Value) -> RelativeDistinguishedName {
        RelativeDistinguishedName(.init(type: .RDNAttributeType.commonName, value: value))
    }

    private func read(_ subject: DistinguishedName) throws -> Result<String, SubjectCommonName.Refusal> {
        let der = try certificateDER(subject)
        return der.withUnsafeBufferPointer { SubjectCommonName.read($0.baseAddress!, $0.count) }.map(\.commonName)
    }

    func testOneUTF8CommonNameIsTheName() throws {
        let subject = DistinguishedName([
            RelativeDistinguishedName(.init(type: .RDNAttributeType.organizationName, utf8String: "Acme")),
            commonName(.init(utf8String: "BRK-0001")),
        ])
        XCTAssertEqual(try read(subject), .success("BRK-0001"))
    }

    func testABMPStringCommonNameIsConvertedToUTF8() throws {
        // BMPString (tag 0x1E) "Äb": UTF-16BE bytes, which a raw copy would pass on as garbage.
        let bmp = try ASN1Any(derEncoded: [0x1E, 0x04, 0x00, 0xC4, 0x00, 0x62])
        XCTAssertEqual(try read(DistinguishedName([commonName(.init(asn1Any: bmp))])), .success("Äb"))
    }

    func testSeveralCommonNamesAreRefused() throws {
        let subject = DistinguishedName([commonName(.init(utf8String: "BRK-0001")), commonName(.init(utf8String: "BRK-0002"))])
        XCTAssertEqual(try read(subject), .failure(.several))
    }

    func testACommonNameThatIsNotUTF8IsRefused() throws {
        // swift-certificates re-encodes what it is given as valid UTF-8, so the invalid bytes (0xC3 0x28) are
        // patched into the DER afterwards; only the signature breaks, and the name is read before any check.
        var der = try certificateDER(DistinguishedName([commonName(.init(utf8String: "BRK-ZQZQ"))]))
        let marker = Array("ZQZQ".utf8)
        let start = try XCTUnwrap((0...(der.count - marker.count)).first { Array(der[$0..<($0 + marker.count)]) == marker })
        der.replaceSubrange(start..<(start + marker.count), with: [0x42, 0xC3, 0x28, 0x42])
        let result = der.withUnsafeBufferPointer { SubjectCommonName.read($0.baseAddress!, $0.count) }.map(\.commonName)
        // OpenSSL 3 already refuses such a name while parsing the certificate (it canonicalises names as
        // UTF-8); either way no identity comes of it.
        XCTAssertTrue([.failure(.unparsable), .failure(.notText)].contains(result), "\(result)")
    }

    func testACommonNameWithANULIsRefused() throws {
        // `BRK-0001\0evil` must not be read as BRK-0001.
        XCTAssertEqual(try read(DistinguishedName([commonName(.init(utf8String: "BRK-0001\u{0}evil"))])), .failure(.notText))
    }

    func testALongCommonNameIsRefusedNotTruncated() throws {
        let long = "BRK-" + String(repeating: "9", count: 300)
        XCTAssertEqual(try read(DistinguishedName([commonName(.init(utf8String: long))])), .failure(.tooLong))
    }

    func testNoCommonNameIsRefused() throws {
        let subject = DistinguishedName([RelativeDistinguishedName(.init(type: .RDNAttributeType.organizationName, utf8String: "Acme"))])
        XCTAssertEqual(try read(subject), .failure(.missing))
    }

    func testBytesThatAreNoCertificateAreRefused() {
        let garbage: [UInt8] = [0x30, 0x03, 0x02, 0x01, 0x01]
        XCTAssertEqual(garbage.withUnsafeBufferPointer { SubjectCommonName.read($0.baseAddress!, $0.count) }.map(\.commonName), .failure(.unparsable))
    }
}
