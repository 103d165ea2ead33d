import FleetTesting
import Foundation
import Synchronization
import XCTest

/// An acknowledged message is never lost, not even to `kill -9`.
final class CrashTests: ServerTestCase {
    func testEveryAcknowledgedPackSurvivesKill9() async throws {
        let device = try await provisionedClient("BRK-0200")
        XCTAssertEqual(try device.send("POST", uri("/v1/register"), payload: Self.registration, contentFormat: 50).code, "2.01")

        // A device sends packs one after another, each with its own energy reading as a marker.
        let acknowledged = Mutex<[Int]>([])
        let stop = Atomic<Bool>(false)
        let target = uri("/v1/telemetry")
        let sender = Thread {
            var sequence = 0
            while !stop.load(ordering: .relaxed) && sequence < 2000 {
                sequence += 1
                let pack = Self.pack("BRK-0200", energy: Double(sequence))
                if let result = try? device.send("POST", target, payload: pack, contentFormat: 110, timeout: 2),
                   result.code == "2.04" {
                    acknowledged.withLock { $0.append(sequence) }
                }
            }
        }
        sender.start()
        try await Deadline.wait("20 acknowledged packs", timeout: 60) { acknowledged.withLock { $0.count } >= 20 }
        try await server.kill9()
        // Anything the sender still gets acknowledged after the kill would be a lie; keep it running a moment.
        let atKill = acknowledged.withLock { $0 }
        stop.store(true, ordering: .relaxed)
        try await Deadline.wait("the sender to stop", timeout: 30) { sender.isFinished }
        let total = acknowledged.withLock { $0 }
        XCTAssertLessThanOrEqual(total.count, atKill.count + 1, "a dead server acknowledged packs")

        try await server.start()
        let stored = try await storedEnergies("BRK-0200")
        let lost = Set(total).subtracting(stored)
        XCTAssertTrue(lost.isEmpty, "acknowledged but lost after kill -9: \(lost.sorted()) of \(total.count)")
        XCTAssertEqual(stored.count, Set(stored).count, "a pack was stored twice")
    }

    private func storedEnergies(_ serial: String) async throws -> [Int] {
        var energies: [Int] = []
        try await Deadline.wait("the replayed telemetry", timeout: 15) {
            let answer = try await self.admin.get("/api/v1/devices/\(serial)/telemetry?limit=1000").json
            let packs = answer["telemetry"] as? [[String: Any]] ?? []
            energies = packs.compactMap { pack in
                (pack["measurements"] as? [[String: Any]])?.first { $0["name"] as? String == "energy" }?["value"] as? Double
            }.map { Int($0) }
            return !energies.isEmpty
        }
        return energies
    }
}
