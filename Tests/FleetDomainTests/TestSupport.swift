import FleetDomain

let testSerial = Serial("BRK-0001")!
/// 2025-11-29T00:00:00Z, the spec's example time.
let testNow = 1_764_384_000.0
