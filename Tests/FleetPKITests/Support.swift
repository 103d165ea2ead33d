import FleetPKI
import Foundation
import SwiftASN1
import X509
import XCTest

/// Chain validation with swift-certificates' own verifier (RFC 5280 rules, validity at "now").
func validate(_ leafDER: [UInt8], roots: [[UInt8]], intermediates: [[UInt8]] = []) async throws -> CertificateValidationResult {
    let leaf = try Certificate(derEncoded: leafDER)
    var verifier = Verifier(rootCertificates: CertificateStore(try roots.map { try Certificate(derEncoded: $0) })) {
        RFC5280Policy()
    }
    return await verifier.validate(
        leaf: leaf, intermediates: CertificateStore(try intermediates.map { try Certificate(derEncoded: $0) }))
}

func assertValid(_ result: CertificateValidationResult, file: StaticString = #filePath, line: UInt = #line) {
    guard case .validCertificate = result else {
        return XCTFail("expected a valid chain, got \(result)", file: file, line: line)
    }
}

func assertInvalid(_ result: CertificateValidationResult, file: StaticString = #filePath, line: UInt = #line) {
    if case .validCertificate(let chain) = result {
        XCTFail("expected validation to fail, got valid chain \(chain)", file: file, line: line)
    }
}

/// Asserts `body` throws a PKIError with `code`.
func assertThrowsPKIError<T>(
    _ code: PKIError.Code, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T
) {
    XCTAssertThrowsError(try body(), file: file, line: line) { error in
        guard let pkiError = error as? PKIError else {
            return XCTFail("expected PKIError(\(code)), got \(error)", file: file, line: line)
        }
        XCTAssertEqual(pkiError.code, code, "\(pkiError)", file: file, line: line)
    }
}

/// A fresh directory under the system temp dir; callers remove it in tearDown / defer.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("fleetpki-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func write(_ text: String, to url: URL) throws {
    try Data(text.utf8).write(to: url)
}

func write(_ bytes: [UInt8], to url: URL) throws {
    try Data(bytes).write(to: url)
}

/// Runs the real OpenSSL CLI. Missing binary is a test failure, not a skip: these interop checks
/// are the only evidence that OpenSSL (and so libcoap) accepts what we produce.
struct OpenSSLCLI {
    static let path = "/usr/bin/openssl"

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Everything, for failure messages.
        var output: String { stdout + stderr }
    }

    static func run(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            XCTFail("\(path) is not installed; OpenSSL interop cannot be checked", file: file, line: line)
            throw CocoaError(.fileNoSuchFile)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // OpenSSL's outputs are small, so reading one pipe to EOF before the other cannot deadlock.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}

extension Certificate {
    var commonNames: [String] {
        subject.flatMap { $0 }.filter { $0.type == .RDNAttributeType.commonName }.compactMap { String($0.value) }
    }
}
