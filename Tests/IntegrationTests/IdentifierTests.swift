import FleetTesting
import Foundation
import XCTest

/// One rule per identifier, on every route: an id with a NUL (which SQLite would cut at the NUL and so match
/// another record) or any other character outside its rule is a 400 naming the field, and changes nothing.
final class IdentifierTests: ServerTestCase {
    func testASiteIDWithANULIsRefusedWhereverItComesIn() async throws {
        try await admin.addSite("site-a", county: "140802")
        let claim = try await admin.post("/api/v1/claims", json: ["site": "site-a\u{0}zzz"])
        XCTAssertEqual(claim.status, 400, claim.text)
        XCTAssertTrue(claim.text.contains("site"), claim.text)
        let shown = try await admin.get("/api/v1/sites/site-a%00zzz")
        XCTAssertEqual(shown.status, 400, "not site-a: \(shown.text)")
        let model = try await admin.get("/api/v1/models/BF-100%00x")
        XCTAssertEqual(model.status, 400, model.text)
        let profile = try await admin.get("/api/v1/profiles/commerce%00x")
        XCTAssertEqual(profile.status, 400, profile.text)
        let token = try await admin.post("/api/v1/tokens/abc%00def/revoke", json: [:])
        XCTAssertEqual(token.status, 400, token.text)
        let assign = try await admin.send("PUT", "/api/v1/profile-assignments",
                                          body: Data(#"{"profile":"commerce\u0000x","site":"site-a"}"#.utf8))
        XCTAssertEqual(assign.status, 400, assign.text)
        // The well-formed ones still work.
        let site = try await admin.get("/api/v1/sites/site-a")
        XCTAssertEqual(site.status, 200)
        let good = try await admin.post("/api/v1/claims", json: ["site": "site-a"])
        XCTAssertEqual(good.status, 201, good.text)
    }
}
