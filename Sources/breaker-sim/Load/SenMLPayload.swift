import Foundation

/// A realistic ~200-byte SenML pack for one device (its own `bn`), the body every load request carries
/// unless `--payload-file` says otherwise.
enum SenMLPayload {
    static func pack(serial: String) -> [UInt8] {
        Array(#"[{"bn":"urn:dev:sn:\#(serial):","n":"voltage_l1","u":"V","v":229.8},{"n":"current_l1","u":"A","v":12.41},{"n":"leakage","u":"A","v":0.012},{"n":"temp_l1","u":"Cel","v":41.5},{"n":"energy","u":"Wh","v":120034}]"#.utf8)
    }

    static func registration(model: String, caps: [String] = ["temperature", "leakage"]) -> [UInt8] {
        let list = caps.map { "\"\($0)\"" }.joined(separator: ",")
        return Array(#"{"model":"\#(model)","fw":"1.0.0","hw":"r2","caps":[\#(list)],"lifetime":86400}"#.utf8)
    }
}
