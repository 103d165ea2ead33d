import AdminAPIModel
import FleetDomain
import Foundation
import XCTest

/// The OpenAPI document against the types it documents: every schema matches what its model writes and
/// reads, so the document cannot drift from the code. (That every route is documented, and nothing else,
/// is checked against a running server in `IntegrationTests/OpenAPITests`.)
final class OpenAPIDocumentTests: XCTestCase {
    private func document() throws -> JSONValue {
        try JSONValue.parse(Data(OpenAPIDocument.bytes))
    }

    func testTheDocumentIsOpenAPI31WithEveryOperationAnsweringProblems() throws {
        let document = try document()
        XCTAssertTrue(document["openapi"]?.string?.hasPrefix("3.1.") ?? false, "\(String(describing: document["openapi"]))")
        let paths = try XCTUnwrap(document["paths"]?.object)
        XCTAssertFalse(paths.isEmpty)
        for (path, item) in paths {
            for (method, operation) in item.object ?? [:] {
                XCTAssertNotNil(operation["operationId"]?.string, "\(method) \(path)")
                XCTAssertNotNil(operation["x-roles"]?.array, "\(method) \(path): x-roles")
                let responses = try XCTUnwrap(operation["responses"]?.object, "\(method) \(path)")
                XCTAssertTrue(responses.keys.contains { $0.hasPrefix("2") }, "\(method) \(path): a success answer")
            }
        }
    }

    func testEveryAnswerModelEncodesToItsSchema() throws {
        var validator = SchemaValidator(document: try document())
        for (schema, value) in try Samples.answers() + Samples.requests {
            let json = try JSONValue.parse(try AdminJSON.encoder().encode(value))
            XCTAssertEqual(validator.errors(json, schema: schema), [], schema)
        }
        for (schema, type, text) in Samples.decodedAnswers {
            let value = try AdminJSON.decoder().decode(type, from: Data(text.utf8))
            let json = try JSONValue.parse(try AdminJSON.encoder().encode(value))
            XCTAssertEqual(validator.errors(json, schema: schema), [], schema)
        }
        XCTAssertEqual(validator.errors(try JSONValue.parse(try Samples.profileFile()), schema: "ProfileDocument"), [])
        try assertEverySchemaIsExercised(by: validator)
    }

    /// A schema no sample reaches, or a documented key no model writes, is drift too.
    private func assertEverySchemaIsExercised(by validator: SchemaValidator) throws {
        for (name, schema) in validator.schemas {
            guard let properties = schema["properties"]?.object else { continue }
            XCTAssertTrue(validator.visited.contains(name), "schema \(name) has no sample")
            let unwritten = Set(properties.keys).subtracting(validator.seen[name] ?? [])
            XCTAssertEqual(unwritten, [], "schema \(name) documents keys no sample writes")
        }
    }

    /// Decoding `{}` names exactly the fields the schema calls required.
    func testEveryRequestSchemaRequiresWhatItsModelRequires() throws {
        let schemas = try XCTUnwrap(try document()["components"]?["schemas"]?.object)
        for (name, type) in Samples.requestTypes {
            let required = Set(schemas[name]?["required"]?.strings ?? [])
            do {
                _ = try AdminJSON.decodeRequest(type, from: Data("{}".utf8))
                XCTAssertEqual(required, [], "\(name) decoded from {}")
            } catch .fields(let issues) {
                XCTAssertEqual(Set(issues.map(\.field)), required, name)
            } catch {
                XCTFail("\(name): \(error)")
            }
        }
    }

    func testEnumerationsListTheDomainsValues() throws {
        let schemas = try XCTUnwrap(try document()["components"]?["schemas"]?.object)
        func values(_ name: String) -> [String] { schemas[name]?["enum"]?.strings ?? [] }
        XCTAssertEqual(values("DeviceState"), DeviceState.allCases.map(\.rawValue))
        XCTAssertEqual(values("Role"), Role.allCases.map(\.rawValue))
        XCTAssertEqual(values("SiteCategory"), SiteCategory.allCases.map(\.rawValue))
        XCTAssertEqual(values("ModelCapability"), ModelCapability.allCases.map(\.rawValue))
        XCTAssertEqual(values("ProfileProgress"), ProfileProgress.allCases.map(\.rawValue))
        XCTAssertEqual(values("ProfileTargetKind"), ProfileTarget.Kind.allCases.map(\.rawValue))
        XCTAssertEqual(values("AuditProblem"), AuditProblem.allCases.map(\.rawValue))
    }
}
