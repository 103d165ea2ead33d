import Foundation
import SwiftASN1

/// Small PEM conveniences on top of SwiftASN1's `PEMDocument`.
///
/// `PEMDocument` already parses and encodes single blocks and bundles; what it lacks is a trailing
/// newline on output (OpenSSL and libcoap tolerate its absence, but concatenating files into a
/// bundle does not) and a "give me the DER of every block of type X" filter.
public enum PEM {
    /// Encodes DER as a PEM block with 64-column base64 and a trailing newline.
    public static func encode(_ der: [UInt8], type: String) -> String {
        PEMDocument(type: type, derBytes: der).pemString + "\n"
    }

    /// All PEM blocks in `text`, in order. Text outside blocks (e.g. OpenSSL's `subject=` lines) is ignored.
    public static func documents(in text: String) throws -> [PEMDocument] {
        try PEMDocument.parseMultiple(pemString: text)
    }

    /// DER of every block whose type is `type`, in order; throws if any block is malformed or of another type,
    /// because a bundle that silently drops a block is a trust-store bug waiting to happen.
    public static func derBlocks(in text: String, type: String) throws -> [[UInt8]] {
        try documents(in: text).map { document in
            guard document.discriminator == type else {
                throw PKIError(.invalidCertificate, "expected PEM \(type) but found \(document.discriminator)")
            }
            return document.derBytes
        }
    }

    /// DER of every `CERTIFICATE` block in a bundle.
    public static func certificatesDER(in text: String) throws -> [[UInt8]] {
        try derBlocks(in: text, type: "CERTIFICATE")
    }
}
