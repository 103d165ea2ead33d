/// Heap copies of the DER credentials with stable addresses, since libcoap keeps the pointers it is given
/// for the whole life of the context. Freed with the server.
final class CredentialBuffers {
    let certificate: UnsafeMutableBufferPointer<UInt8>
    let privateKey: UnsafeMutableBufferPointer<UInt8>
    let anchors: [UnsafeMutableBufferPointer<UInt8>]

    init(_ credentials: CoAPServerConfiguration.Credentials) {
        certificate = Self.copy(credentials.certificateDER)
        privateKey = Self.copy(credentials.privateKeyDER)
        anchors = credentials.trustAnchorsDER.map(Self.copy)
    }

    deinit {
        certificate.deallocate()
        // Scrub the key before handing the memory back.
        privateKey.update(repeating: 0)
        privateKey.deallocate()
        anchors.forEach { $0.deallocate() }
    }

    private static func copy(_ bytes: [UInt8]) -> UnsafeMutableBufferPointer<UInt8> {
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        _ = buffer.initialize(from: bytes)
        return UnsafeMutableBufferPointer(rebasing: buffer[0..<bytes.count])
    }
}
