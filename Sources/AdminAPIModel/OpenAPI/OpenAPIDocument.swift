import Foundation

/// The OpenAPI 3.1 document of the admin API (`openapi.json` next to this file, embedded at build time),
/// served at `GET /api/v1/openapi.json`: the one written contract of every route, request and answer.
///
/// It is written by hand next to the types it describes; `AdminAPIModelTests` checks that every schema
/// matches its type's coding keys and the integration tests that every route the server registers is in it
/// and nothing else is.
public enum OpenAPIDocument {
    public static let contentType = "application/json"

    /// The document's bytes, exactly as in the file.
    public static var bytes: [UInt8] { PackageResources.openapi_json }
}
