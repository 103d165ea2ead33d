import FleetTesting
import Foundation
import XCTest

/// The PSK length is a property of the certified model: 16 bytes by default, which tinydtls devices take.
final class PresharedKeyLengthTests: ServerTestCase {
    override var serverArguments: [String] { ["--enable-psk"] }

    var cli: CLIRunner { CLIRunner(server: server.baseURL, tokenFile: server.adminTokenURL) }

    func provisionPSK(_ serial: String, model: String) async throws -> String {
        let answer = try await admin.post("/api/v1/devices", json: ["serial": serial, "model": model])
        XCTAssertEqual(answer.status, 201, answer.text)
        return try XCTUnwrap((answer.json["credentials"] as? [String: Any])?["psk"] as? String, answer.text)
    }

    func testADefaultModelsDeviceGetsA16ByteKeyThatCompletesAHandshake() async throws {
        try await admin.certify("BF-TINY", capabilities: ["leakage", "psk_only"])
        let shown = try cli.run(["model", "show", "BF-TINY"])
        XCTAssertEqual(shown.status, 0, "\(shown)")
        XCTAssertTrue(shown.stdout.contains(#""psk_key_bytes" : 16"#) || shown.stdout.contains(#""psk_key_bytes":16"#), shown.stdout)

        let key = try await provisionPSK("BRK-0950", model: "BF-TINY")
        XCTAssertEqual(key.utf8.count, 16, key)
        let registered = try CoAPClient(pskIdentity: "BRK-0950", key: key)
            .send("POST", uri("/v1/register"), payload: #"{"model":"BF-TINY","fw":"0.9"}"#, contentFormat: 50)
        XCTAssertEqual(registered.code, "2.01", "coap-client-openssl -u BRK-0950 -k <16-byte key>: \(registered)")
    }

    func testAModelMayAskForLongerKeysWithinBounds() async throws {
        let added = try cli.run([
            "model", "add", "BF-WIDE", "--manufacturer", "Test Works", "--ccc", "2026010307000002", "--valid-from", "2026-01-01",
            "--valid-until", "2031-01-01", "--rated-current", "32", "--poles", "1", "--capabilities", "psk_only",
            "--psk-key-bytes", "32",
        ])
        XCTAssertEqual(added.status, 0, "\(added)")
        let key = try await provisionPSK("BRK-0951", model: "BF-WIDE")
        XCTAssertEqual(key.utf8.count, 32, key)
        let registered = try CoAPClient(pskIdentity: "BRK-0951", key: key)
            .send("POST", uri("/v1/register"), payload: #"{"model":"BF-WIDE","fw":"0.9"}"#, contentFormat: 50)
        XCTAssertEqual(registered.code, "2.01", "\(registered)")

        let tooShort = try cli.run([
            "model", "add", "BF-BAD", "--manufacturer", "Test Works", "--ccc", "2026010307000003", "--valid-from", "2026-01-01",
            "--valid-until", "2031-01-01", "--rated-current", "32", "--poles", "1", "--psk-key-bytes", "8",
        ])
        XCTAssertTrue(tooShort.output.contains("--psk-key-bytes: 8 is outside 16–32"), "\(tooShort)")
        let refused = try await admin.post("/api/v1/models", json: [
            "code": "BF-BAD", "manufacturer": "Test Works", "certification_number": "2026010307000003",
            "valid_from": "2026-01-01", "valid_until": "2031-01-01", "rated_current_a": 32, "poles": 1, "psk_key_bytes": 64,
        ])
        XCTAssertEqual(refused.status, 400, refused.text)
        XCTAssertTrue(refused.text.contains("psk_key_bytes 64 is outside 16–32"), refused.text)
    }
}
