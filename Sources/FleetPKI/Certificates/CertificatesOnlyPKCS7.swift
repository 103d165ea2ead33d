/// A PKCS#7 "certs-only" message (RFC 2315 degenerate SignedData: certificates, no content, no signers),
/// as EST's `/crts` answers with (RFC 7030 §4.1.3, `application/pkcs7-mime; smime-type=certs-only`,
/// CoAP Content-Format 281 in RFC 9148). Built by hand: a handful of fixed DER structures around the
/// certificates' own DER.
public enum CertificatesOnlyPKCS7 {
    /// DER of ContentInfo { signedData, SignedData { version 1, {}, { data }, [0] certificates, {} } }.
    public static func encode(_ certificatesDER: [[UInt8]]) -> [UInt8] {
        // DER sorts the members of a SET OF by their encodings.
        let certificates = certificatesDER.sorted { $0.lexicographicallyPrecedes($1) }.flatMap { $0 }
        let signedData = tlv(0x30,
            tlv(0x02, [0x01]) +                                    // version 1
            tlv(0x31, []) +                                        // digestAlgorithms: none
            tlv(0x30, tlv(0x06, oidData)) +                        // encapContentInfo: id-data, no content
            tlv(0xA0, certificates) +                              // certificates [0] IMPLICIT SET OF
            tlv(0x31, []))                                         // signerInfos: none
        return tlv(0x30, tlv(0x06, oidSignedData) + tlv(0xA0, signedData))
    }

    /// 1.2.840.113549.1.7.2 and 1.2.840.113549.1.7.1.
    static let oidSignedData: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02]
    static let oidData: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01]

    /// A DER tag-length-value with the definite length in its shortest form.
    static func tlv(_ tag: UInt8, _ value: [UInt8]) -> [UInt8] {
        var length: [UInt8]
        if value.count < 0x80 {
            length = [UInt8(value.count)]
        } else {
            var bytes: [UInt8] = []
            var rest = value.count
            while rest > 0 { bytes.insert(UInt8(rest & 0xFF), at: 0); rest >>= 8 }
            length = [0x80 | UInt8(bytes.count)] + bytes
        }
        return [tag] + length + value
    }
}
