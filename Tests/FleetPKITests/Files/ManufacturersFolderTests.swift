import FleetPKI
import Foundation
import XCTest

/// `manufacturers/` holds CA certificates as `*.crt` / `*.pem`; anything else there (the repository's
/// `.gitkeep`, an operator's notes) is not a trust anchor and is left alone.
final class ManufacturersFolderTests: XCTestCase {
    func testFilesThatAreNotCertificatesAreIgnored() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("manufacturers-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let directory = PKIDirectory(url: root)
        try FileManager.default.createDirectory(at: directory.manufacturersURL, withIntermediateDirectories: true)
        for name in [".gitkeep", "README.md", "acme-notes.txt"] {
            try Data("not a certificate\n".utf8).write(to: directory.manufacturersURL.appendingPathComponent(name))
        }
        XCTAssertEqual(try directory.loadManufacturerCAs().count, 0)
    }

    func testTheRepositorysCertificatesFolderLoadsAsShipped() throws {
        let repository = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let shipped = PKIDirectory(url: repository.appendingPathComponent(PKIDirectory.defaultDirectoryName))
        XCTAssertTrue(FileManager.default.fileExists(atPath: shipped.manufacturersURL.appendingPathComponent(".gitkeep").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: shipped.url.appendingPathComponent("README.md").path))
        // A developer's own CA may sit there after `scripts/run`; the shipped files alone are no anchors.
        let anchors = try shipped.loadManufacturerCAs()
        let certificateFiles = try FileManager.default.contentsOfDirectory(atPath: shipped.manufacturersURL.path)
            .filter { $0.hasSuffix(".crt") || $0.hasSuffix(".pem") }
        if certificateFiles.isEmpty { XCTAssertEqual(anchors.count, 0) }
    }
}
