import AdminAPIModel
import Foundation
import XCTest

/// How a client (the CLI) reads answers: typed values, problems, and a clear error for anything else.
final class AnswerDecodingTests: XCTestCase {
    func testAProblemIsDecodedAndReadsAsOneLinePerField() throws {
        let body = #"""
            {"type":"urn:breakerfleet:problem:validation","title":"Invalid request","status":400,"detail":"a; b",
             "errors":[{"field":"name","message":"name is required"},{"field":"manager.phone","message":"bad phone"}]}
            """#
        XCTAssertThrowsError(try AdminJSON.decodeAnswer(HealthStatus.self, status: 400, data: Data(body.utf8))) { error in
            guard case .problem(let problem) = error as? AnswerError else { return XCTFail("\(error)") }
            XCTAssertEqual(problem.errors?.map(\.field), ["name", "manager.phone"])
            XCTAssertEqual(problem.description, "400 Invalid request\n  name is required\n  manager.phone: bad phone")
        }
        let notFound = #"{"type":"about:blank","title":"Not Found","status":404,"detail":"no site x"}"#
        XCTAssertThrowsError(try AdminJSON.decodeAnswer(HealthStatus.self, status: 404, data: Data(notFound.utf8))) { error in
            XCTAssertEqual((error as? AnswerError), .problem(.init(type: "about:blank", title: "Not Found", status: 404, detail: "no site x")))
            if case .problem(let problem) = error as? AnswerError { XCTAssertEqual(problem.description, "404 Not Found: no site x") }
        }
    }

    func testAnAnswerThatIsNotTheDocumentedOneIsReportedNotGuessed() {
        for (status, body) in [(200, "<html>"), (200, #"{"state":"ok"}"#), (502, "Bad Gateway"), (200, "")] {
            XCTAssertThrowsError(try AdminJSON.decodeAnswer(HealthStatus.self, status: status, data: Data(body.utf8))) { error in
                guard case .unexpected = error as? AnswerError else { return XCTFail("\(status) \(body): \(error)") }
            }
        }
        XCTAssertEqual(try AdminJSON.decodeAnswer(HealthStatus.self, status: 200, data: Data(#"{"status":"ok"}"#.utf8)), HealthStatus(status: "ok"))
    }
}
