internal import CLibCoap
import Foundation

/// The subject CN of a peer's certificate, the name its identity is bound to. Exactly one CN, UTF-8 text
/// without NUL, at most `maxBytes`: anything else is refused rather than guessed at (which of several CNs?
/// raw bytes of a BMPString? a name cut at 255 bytes that matches another serial?).
enum SubjectCommonName {
    enum Refusal: Error, Equatable, CustomStringConvertible {
        case unparsable, missing, several, notText, tooLong

        public var description: String {
            switch self {
            case .unparsable: "the certificate does not parse"
            case .missing: "the subject has no CN"
            case .several: "the subject has more than one CN"
            case .notText: "the CN is not UTF-8 text"
            case .tooLong: "the CN is longer than \(SubjectCommonName.maxBytes) bytes"
            }
        }
    }

    /// RFC 5280's upper bound is 64 characters; 256 bytes holds any of them in UTF-8.
    static let maxBytes = 256

    /// What else the same parse reads: validity and the key's fingerprint.
    struct Facts: Equatable {
        let commonName: String
        let notBefore: Date
        let notAfter: Date
        /// SHA-256 of the SubjectPublicKeyInfo DER.
        let publicKeyFingerprint: [UInt8]
    }

    static func read(_ der: UnsafePointer<UInt8>, _ length: Int) -> Result<Facts, Refusal> {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: maxBytes) { buffer in
            var facts = bf_certificate_facts()
            let count = bf_subject_cn(der, length, buffer.baseAddress, maxBytes, &facts)
            switch count {
            case Int32(BF_CN_MISSING): return .failure(.missing)
            case Int32(BF_CN_SEVERAL): return .failure(.several)
            case Int32(BF_CN_NOT_TEXT): return .failure(.notText)
            case Int32(BF_CN_TOO_LONG): return .failure(.tooLong)
            case ..<1: return .failure(count == 0 ? .missing : .unparsable)
            default: break
            }
            let bytes = UnsafeRawBufferPointer(start: buffer.baseAddress, count: Int(count))
            guard let name = String(validating: bytes, as: UTF8.self) else { return .failure(.notText) }
            let key = withUnsafeBytes(of: facts.public_key_sha256) { Array($0) }
            return .success(Facts(
                commonName: name, notBefore: Date(timeIntervalSince1970: TimeInterval(facts.not_before)),
                notAfter: Date(timeIntervalSince1970: TimeInterval(facts.not_after)), publicKeyFingerprint: key))
        }
    }
}
