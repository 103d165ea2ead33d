import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// The handful of libssl/libcrypto entry points libcoap uses to load an ASN.1 (DER) identity,
/// called directly through `dlopen` so the test checks the real library rather than our belief
/// about which DER flavour it takes. (The test target cannot link CLibCoap/OpenSSL headers.)
final class LibSSL {
    typealias D2IPrivateKey = @convention(c) (
        Int32, UnsafeMutablePointer<OpaquePointer?>?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, Int
    ) -> OpaquePointer?
    typealias Free = @convention(c) (OpaquePointer?) -> Void
    typealias IntOfPointer = @convention(c) (OpaquePointer?) -> Int32
    typealias Method = @convention(c) () -> OpaquePointer?
    typealias New = @convention(c) (OpaquePointer?) -> OpaquePointer?
    typealias UsePrivateKeyASN1 = @convention(c) (Int32, OpaquePointer?, UnsafePointer<UInt8>?, Int) -> Int32
    typealias UseCertificateASN1 = @convention(c) (OpaquePointer?, UnsafePointer<UInt8>?, Int32) -> Int32

    /// `EVP_PKEY_EC` == `NID_X9_62_id_ecPublicKey`.
    static let evpPKeyEC: Int32 = 408

    private let handle: UnsafeMutableRawPointer
    let d2iPrivateKey: D2IPrivateKey
    let pkeyFree: Free
    let pkeyBaseID: IntOfPointer
    let dtlsMethod: Method
    let ctxNew: New
    let ctxFree: Free
    let sslNew: New
    let sslFree: Free
    let usePrivateKeyASN1: UsePrivateKeyASN1
    let useCertificateASN1: UseCertificateASN1
    let checkPrivateKey: IntOfPointer

    init() throws {
        guard let handle = dlopen("libssl.so.3", RTLD_NOW) else {
            throw NSError(domain: "LibSSL", code: 1, userInfo: [
                NSLocalizedDescriptionKey: "dlopen libssl.so.3 failed: \(String(cString: dlerror()))"
            ])
        }
        self.handle = handle
        func symbol<T>(_ name: String) throws -> T {
            guard let pointer = dlsym(handle, name) else {
                throw NSError(domain: "LibSSL", code: 2, userInfo: [NSLocalizedDescriptionKey: "missing symbol \(name)"])
            }
            return unsafeBitCast(pointer, to: T.self)
        }
        d2iPrivateKey = try symbol("d2i_PrivateKey")
        pkeyFree = try symbol("EVP_PKEY_free")
        pkeyBaseID = try symbol("EVP_PKEY_get_base_id")
        dtlsMethod = try symbol("DTLS_method")
        ctxNew = try symbol("SSL_CTX_new")
        ctxFree = try symbol("SSL_CTX_free")
        sslNew = try symbol("SSL_new")
        sslFree = try symbol("SSL_free")
        usePrivateKeyASN1 = try symbol("SSL_use_PrivateKey_ASN1")
        useCertificateASN1 = try symbol("SSL_use_certificate_ASN1")
        checkPrivateKey = try symbol("SSL_check_private_key")
    }

    deinit { dlclose(handle) }

    /// `d2i_PrivateKey(EVP_PKEY_EC, …)`: returns the decoded key's base id, or nil if OpenSSL
    /// refused the bytes. Also requires that the whole buffer was consumed.
    func decodeECPrivateKey(_ der: [UInt8]) -> Int32? {
        der.withUnsafeBufferPointer { buffer -> Int32? in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            guard let key = d2iPrivateKey(Self.evpPKeyEC, nil, &cursor, buffer.count) else { return nil }
            defer { pkeyFree(key) }
            guard let cursor, cursor == buffer.baseAddress! + buffer.count else { return nil }
            return pkeyBaseID(key)
        }
    }

    /// What libcoap does for `COAP_PKI_KEY_ASN1` on a DTLS session: load certificate and key DER
    /// into an `SSL` and check they belong together. Returns (certificate ok, key ok, pair ok).
    func loadIdentity(certificateDER: [UInt8], privateKeyDER: [UInt8]) -> (Bool, Bool, Bool) {
        let context = ctxNew(dtlsMethod())
        defer { ctxFree(context) }
        let ssl = sslNew(context)
        defer { sslFree(ssl) }
        let certificateOK = certificateDER.withUnsafeBufferPointer {
            useCertificateASN1(ssl, $0.baseAddress, Int32($0.count)) == 1
        }
        let keyOK = privateKeyDER.withUnsafeBufferPointer {
            usePrivateKeyASN1(Self.evpPKeyEC, ssl, $0.baseAddress, $0.count) == 1
        }
        let pairOK = certificateOK && keyOK && checkPrivateKey(ssl) == 1
        return (certificateOK, keyOK, pairOK)
    }
}
