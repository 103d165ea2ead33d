import AdminAPIModel
import FleetDomain
import Foundation
import XCTest

/// Strict decoding of request bodies: every wrong field named with what was expected, all at once.
final class RequestDecodingTests: XCTestCase {
    private func issues<T: Decodable>(_ type: T.Type, _ json: String) -> [FieldIssue] {
        do {
            _ = try AdminJSON.decodeRequest(type, from: Data(json.utf8))
            return []
        } catch .fields(let issues) {
            return issues
        } catch {
            return [FieldIssue("body", error.message)]
        }
    }

    func testABooleanIsNeverANumber() {
        XCTAssertEqual(issues(ClaimRequest.self, #"{"site": "yanhu-market", "ttl_s": true}"#),
                       [FieldIssue("ttl_s", "ttl_s must be an integer")])
        XCTAssertEqual(issues(ModelRequest.self, #"""
            {"code":"BF-1","manufacturer":"A","certification_number":"1","valid_from":"2026-01-01","valid_until":"2027-01-01",
             "rated_current_a":true,"poles":false}
            """#).map(\.message), ["rated_current_a must be a number", "poles must be an integer"])
    }

    func testAWrongTypeNamesTheFieldAndWhatWasExpected() {
        XCTAssertEqual(issues(ProvisionRequest.self, #"{"serial": 7, "model": "BF-100"}"#),
                       [FieldIssue("serial", "serial must be a string")])
        XCTAssertEqual(issues(TokenRequest.self, #"{"name": "crew", "role": "installer", "counties": "140802"}"#),
                       [FieldIssue("counties", "counties must be an array of strings")])
        XCTAssertEqual(issues(ClaimRequest.self, #"{"site": "s", "ttl_s": 1.5}"#), [FieldIssue("ttl_s", "ttl_s must be an integer")])
    }

    func testEveryMissingFieldIsNamedAtOnceAndNullIsAbsent() {
        XCTAssertEqual(issues(ModelRequest.self, #"{"code": "BF-1", "manufacturer": null, "poles": "4"}"#).map(\.field),
                       ["manufacturer", "certification_number", "valid_from", "valid_until", "rated_current_a", "poles"])
        XCTAssertEqual(issues(InstallRequest.self, #"{"site": "s", "circuit": "L1", "csr": null}"#), [])
    }

    func testNestedFieldsAreNamedByTheirPath() {
        let site = #"{"id":"s","name":"n","category":"commerce","county":"140802","address":"a","manager":{"name":"Li","phone":5}}"#
        XCTAssertEqual(issues(SiteRequest.self, site), [FieldIssue("manager.phone", "manager.phone must be a string")])
        let rows = #"{"rows":[{"line":2,"serial":"B","model":"M","site":"s","circuit":"c"},{"line":"3","serial":"B","model":"M","site":"s","circuit":"c"}]}"#
        XCTAssertEqual(issues(ImportRequest.self, rows).map(\.field), ["rows[1].line"])
    }

    func testABodyThatIsNoObjectIsRefusedAsAWhole() {
        XCTAssertEqual(issues(RetireRequest.self, ""), [FieldIssue("body", "request body is empty; expected a JSON object")])
        XCTAssertEqual(issues(RetireRequest.self, "[1]"), [FieldIssue("body", "request body must be a JSON object")])
        let syntax = issues(RetireRequest.self, #"{"reason": "#)
        XCTAssertTrue(syntax.first?.message.hasPrefix("request body is not valid JSON") ?? false, "\(syntax)")
    }
}
