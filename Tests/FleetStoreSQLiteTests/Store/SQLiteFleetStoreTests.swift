import Foundation
import FleetDomain
import FleetStoreSQLite
import XCTest

final class SQLiteFleetStoreTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("fleetstore-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let directory {
            try FileManager.default.removeItem(at: directory)
        }
    }

    private var databasePath: String { directory.appendingPathComponent("fleet.sqlite").path }

    private func openStore() throws -> SQLiteFleetStore {
        try SQLiteFleetStore(path: databasePath)
    }

    private func provisioned(_ text: String, model: String = "BRK-3P-63") -> Device {
        Device(serial: serial(text), model: model, state: .provisioned, profileID: "res-standard",
               profileVersion: 3, provisionedAt: at(-3_600))
    }

    // MARK: devices

    func testInsertGetAndListDevicesWithPaginationAndStateFilter() async throws {
        let store = try openStore()
        let full = Device(
            serial: serial("BRK-0003"), model: "BRK-1P-32", state: .active, firmware: "2.1.0", hardware: "rev-c",
            capabilities: ["arc", "leakage", "temp"], lifetime: 3_600, heartbeatSeconds: 60,
            profileID: "industrial", profileVersion: 7, provisionedAt: at(-100), registeredAt: at(-50),
            lastSeen: at(-1))
        // Inserted out of order: listing must come back in serial order.
        for text in ["BRK-0005", "BRK-0001", "BRK-0004", "BRK-0002"] {
            var device = provisioned(text)
            if text == "BRK-0001" { device.state = .active }
            try await store.insertDevice(device)
        }
        try await store.insertDevice(full)

        let read = try await store.device(serial("BRK-0003"))
        XCTAssertEqual(read, full)
        let missing = try await store.device(serial("BRK-9999"))
        XCTAssertNil(missing)

        var pages: [[String]] = []
        var after: Serial?
        repeat {
            let page = try await store.devices(DeviceQuery(limit: 2, after: after))
            pages.append(page.map(\.serial.rawValue))
            after = page.last?.serial
        } while after != nil && pages.count < 10  // bounded: a pagination bug must fail, not hang
        XCTAssertEqual(pages, [["BRK-0001", "BRK-0002"], ["BRK-0003", "BRK-0004"], ["BRK-0005"], []])

        let activeFirst = try await store.devices(DeviceQuery(state: .active, limit: 1))
        XCTAssertEqual(activeFirst.map(\.serial.rawValue), ["BRK-0001"])
        let activeNext = try await store.devices(DeviceQuery(state: .active, limit: 1, after: activeFirst.last?.serial))
        XCTAssertEqual(activeNext.map(\.serial.rawValue), ["BRK-0003"])
        let activeRest = try await store.devices(DeviceQuery(state: .active, limit: 1, after: activeNext.last?.serial))
        XCTAssertEqual(activeRest, [])
        let provisionedAfter = try await store.devices(DeviceQuery(state: .provisioned, limit: 10, after: serial("BRK-0002")))
        XCTAssertEqual(provisionedAfter.map(\.serial.rawValue), ["BRK-0004", "BRK-0005"])
        let none = try await store.devices(DeviceQuery(state: .revoked))
        XCTAssertEqual(none, [])

        let all = try await store.allDevices()
        XCTAssertEqual(all.map(\.serial.rawValue), ["BRK-0001", "BRK-0002", "BRK-0003", "BRK-0004", "BRK-0005"])
        XCTAssertEqual(all[2], full)
    }

    func testInsertingAnExistingSerialThrowsDuplicateAndKeepsTheFirst() async throws {
        let store = try openStore()
        try await store.insertDevice(provisioned("BRK-0001", model: "BRK-3P-63"))
        let error = await assertStoreError(.duplicate) {
            try await store.insertDevice(self.provisioned("BRK-0001", model: "BRK-1P-16"))
        }
        XCTAssertEqual(error?.message, "device BRK-0001 already exists")
        let kept = try await store.device(serial("BRK-0001"))
        XCTAssertEqual(kept?.model, "BRK-3P-63")
    }

    // MARK: registrations

    func testRegistrationActivatesProvisionedAndInsertsUnknownAsUnassigned() async throws {
        let store = try openStore()
        let known = provisioned("BRK-PROV-1")
        try await store.insertDevice(known)
        var journal = FakeJournal()

        try await store.apply(journal.append([
            registration(known.serial, state: .active, at: at(10), firmware: "1.2.0", hardware: "rev-b",
                         capabilities: ["arc"], lifetime: 7_200),
            registration(serial("FAC-77-0001"), state: .unassigned, at: at(11), model: "BRK-1P-32",
                         firmware: "0.9.1", hardware: nil, capabilities: ["leakage", "temp"]),
        ]), through: journal.position)

        let active = try await store.device(known.serial)
        XCTAssertEqual(active, Device(
            serial: known.serial, model: known.model, state: .active, firmware: "1.2.0", hardware: "rev-b",
            capabilities: ["arc"], lifetime: 7_200, heartbeatSeconds: known.heartbeatSeconds,
            profileID: "res-standard", profileVersion: 3, provisionedAt: at(-3_600), registeredAt: at(10),
            lastSeen: at(10)))

        let factory = try await store.device(serial("FAC-77-0001"))
        XCTAssertEqual(factory, Device(
            serial: serial("FAC-77-0001"), model: "BRK-1P-32", state: .unassigned, firmware: "0.9.1",
            capabilities: ["leakage", "temp"], lifetime: 86_400, heartbeatSeconds: Registration.defaultHeartbeat,
            registeredAt: at(11), lastSeen: at(11)))

        // A later registration updates what the device says about itself but keeps the first registration
        // time (and a hardware it no longer mentions).
        try await store.apply(journal.append([
            registration(known.serial, state: .active, at: at(500), firmware: "1.3.0", hardware: nil,
                         capabilities: ["arc", "temp"]),
        ]), through: journal.position)
        let again = try await store.device(known.serial)
        XCTAssertEqual(again?.firmware, "1.3.0")
        XCTAssertEqual(again?.hardware, "rev-b")
        XCTAssertEqual(again?.capabilities, ["arc", "temp"])
        XCTAssertEqual(again?.registeredAt, at(10))
        XCTAssertEqual(again?.lastSeen, at(500))
        XCTAssertEqual(again?.provisionedAt, at(-3_600))
    }

    func testReplayedRegistrationDoesNotLiftARevocation() async throws {
        let store = try openStore()
        var device = provisioned("BRK-0001")
        device.state = .revoked
        try await store.insertDevice(device)
        var journal = FakeJournal()
        try await store.apply(journal.append([registration(device.serial, state: .active, at: at(5))]),
                              through: journal.position)
        let stored = try await store.device(device.serial)
        XCTAssertEqual(stored?.state, .revoked)
    }

    func testALateUnassignedRegistrationDoesNotUndoAnInstallation() async throws {
        let store = try openStore()
        var device = provisioned("BRK-0002")
        device.state = .active
        try await store.insertDevice(device)
        var journal = FakeJournal()
        try await store.apply(journal.append([registration(device.serial, state: .unassigned, at: at(5))]),
                              through: journal.position)
        let stored = try await store.device(device.serial)
        XCTAssertEqual(stored?.state, .active)
    }

    // MARK: events

    func testRepeatedEventIsStoredOnceAcrossApplyCalls() async throws {
        let store = try openStore()
        let brk = serial("BRK-0001")
        var journal = FakeJournal()
        try await store.apply(journal.append([event(brk, "ev-1", at: at(1))]), through: journal.position)
        // The device retransmits after the server's dedup window forgot it: a new journal record, same id.
        try await store.apply(journal.append([
            event(brk, "ev-1", .trip, at: at(30), value: nil, phase: nil, action: .tripped),
            event(brk, "ev-2", .trip, at: at(31), value: nil, phase: nil, action: .tripped),
            event(brk, "ev-2", .trip, at: at(32), value: nil, phase: nil, action: .tripped),
        ]), through: journal.position)

        let events = try await store.events(brk, limit: 10)
        XCTAssertEqual(events.map(\.report.id), ["ev-2", "ev-1"])
        XCTAssertEqual(events.last, StoredEvent(
            report: EventReport(id: "ev-1", type: .overTemperature, at: Int64(at(1).timeIntervalSince1970) - 1,
                                value: 72.5, phase: "L1", action: .alarmOnly),
            receivedAt: at(1)))
        XCTAssertEqual(events.first?.receivedAt, at(31))
        XCTAssertEqual(events.filter { $0.report.id == "ev-1" }.count, 1)
    }

    func testRecentEventIDsKeepsTheNewestWindowPerDevice() async throws {
        let store = try openStore()
        let a = serial("BRK-000A"), b = serial("BRK-000B"), c = serial("BRK-000C")
        var journal = FakeJournal()
        try await store.apply(journal.append([
            event(a, "a1", at: at(1)), event(b, "b1", at: at(2)), event(a, "a2", at: at(3)),
        ]), through: journal.position)
        try await store.apply(journal.append([
            event(a, "a3", at: at(4)), event(a, "a4", at: at(5)), event(b, "b2", at: at(6)),
            event(a, "a5", at: at(7)), event(c, "c1", at: at(8)),
        ]), through: journal.position)

        let window = try await store.recentEventIDs(perDevice: 3)
        XCTAssertEqual(window, [a: ["a5", "a4", "a3"], b: ["b2", "b1"], c: ["c1"]])
        let one = try await store.recentEventIDs(perDevice: 1)
        XCTAssertEqual(one, [a: ["a5"], b: ["b2"], c: ["c1"]])
        let empty = try await store.recentEventIDs(perDevice: 0)
        XCTAssertEqual(empty, [:])
    }

    // MARK: checkpoint and replay

    func testEmptyStoreHasNoAppliedPosition() async throws {
        let store = try openStore()
        let position = try await store.appliedPosition()
        XCTAssertNil(position)
    }

    func testReplayOfAppliedRecordsChangesNothing() async throws {
        let store = try openStore()
        let brk = serial("BRK-0001")
        try await store.insertDevice(provisioned("BRK-0001"))
        var journal = FakeJournal()
        let batch = journal.append([
            registration(brk, state: .active, at: at(1)),
            telemetry(brk, at: at(2), [.value("voltage_l1", "V", 230)]),
            event(brk, "ev-1", at: at(3)),
        ])
        let through = journal.position
        try await store.apply(batch, through: through)
        let appliedFirst = try await store.appliedPosition()
        XCTAssertEqual(appliedFirst, through)

        // The same positions replayed after a crash, even carrying different content (a stand-in for "the
        // store already has these"), change nothing: they are skipped by position.
        let replay = zip(batch, [
            registration(brk, state: .active, at: at(900), firmware: "9.9.9"),
            telemetry(brk, at: at(901), [.value("voltage_l1", "V", 999)]),
            event(brk, "ev-replayed", at: at(902)),
        ]).map { JournaledRecord(position: $0.position, record: $1) }
        try await store.apply(replay, through: through)

        let device = try await store.device(brk)
        XCTAssertEqual(device?.firmware, "1.0.0")
        XCTAssertEqual(device?.lastSeen, at(3))
        let latest = try await store.latestMeasurements(brk)
        XCTAssertEqual(latest.map(\.value), [230])
        let events = try await store.events(brk, limit: 10)
        XCTAssertEqual(events.map(\.report.id), ["ev-1"])
        let telemetryCount = try await store.telemetry(brk, limit: 100).count
        XCTAssertEqual(telemetryCount, 1)

        // A batch straddling the checkpoint applies only what is past it.
        let next = journal.append(event(brk, "ev-2", at: at(4)))
        try await store.apply([batch[2], next], through: next.position)
        let afterStraddle = try await store.events(brk, limit: 10)
        XCTAssertEqual(afterStraddle.map(\.report.id), ["ev-2", "ev-1"])
        let appliedNext = try await store.appliedPosition()
        XCTAssertEqual(appliedNext, next.position)

        // The checkpoint never moves backwards.
        try await store.apply([], through: through)
        let appliedLast = try await store.appliedPosition()
        XCTAssertEqual(appliedLast, next.position)
    }

    // MARK: telemetry

    func testLatestMeasurementsKeepTheNewestValueOfEachName() async throws {
        let store = try openStore()
        let brk = serial("BRK-0001"), other = serial("BRK-0002")
        var journal = FakeJournal()
        // Within one batch, out of time order.
        try await store.apply(journal.append([
            telemetry(brk, at: at(10), [.value("voltage_l1", "V", 230), Entry(name: "breaker", vs: "closed")]),
            telemetry(brk, at: at(20), [.value("voltage_l1", "V", 231)]),
            telemetry(other, at: at(21), [.value("voltage_l1", "V", 120)]),
            telemetry(brk, at: at(25), baseTime: at(15), [.value("voltage_l1", "V", 229)]),
        ]), through: journal.position)
        var latest = try await store.latestMeasurements(brk)
        XCTAssertEqual(latest, [
            Measurement(name: "breaker", stringValue: "closed", time: at(10).timeIntervalSince1970),
            Measurement(name: "voltage_l1", unit: "V", value: 231, time: at(20).timeIntervalSince1970),
        ])

        // A later batch with an older measurement does not overwrite; newer ones and new names do.
        try await store.apply(journal.append([
            telemetry(brk, at: at(40), baseTime: at(5), [.value("voltage_l1", "V", 225)]),
            telemetry(brk, at: at(41), [
                Entry(name: "breaker", vs: "open"), Entry(name: "energy", unit: "Wh", s: 1_234.5),
                Entry(name: "self_test_ok", vb: true),
            ]),
        ]), through: journal.position)
        latest = try await store.latestMeasurements(brk)
        XCTAssertEqual(latest, [
            Measurement(name: "breaker", stringValue: "open", time: at(41).timeIntervalSince1970),
            Measurement(name: "energy", unit: "Wh", sum: 1_234.5, time: at(41).timeIntervalSince1970),
            Measurement(name: "self_test_ok", boolValue: true, time: at(41).timeIntervalSince1970),
            Measurement(name: "voltage_l1", unit: "V", value: 231, time: at(20).timeIntervalSince1970),
        ])
        let otherLatest = try await store.latestMeasurements(other)
        XCTAssertEqual(otherLatest.map(\.value), [120])
    }

    func testTelemetryAndEventsBumpLastSeenToTheNewestTime() async throws {
        let store = try openStore()
        let brk = serial("BRK-0001")
        try await store.insertDevice(provisioned("BRK-0001"))
        var journal = FakeJournal()
        try await store.apply(journal.append([
            telemetry(brk, at: at(50), [.value("power", "W", 10)]),
            event(brk, "ev-1", at: at(70)),
            telemetry(brk, at: at(60), [.value("power", "W", 11)]),
        ]), through: journal.position)
        var device = try await store.device(brk)
        XCTAssertEqual(device?.lastSeen, at(70))

        try await store.apply(journal.append([telemetry(brk, at: at(40), [.value("power", "W", 12)])]),
                              through: journal.position)
        device = try await store.device(brk)
        XCTAssertEqual(device?.lastSeen, at(70))
    }

    func testTelemetryIsReadBackResolvedNewestFirst() async throws {
        let store = try openStore()
        let brk = serial("BRK-0001")
        var journal = FakeJournal()
        let first = telemetry(brk, at: at(100), [
            .value("voltage_l1", "V", 230.5), .value("current_l1", "A", 3.25, t: -2),
            Entry(name: "breaker", vs: "closed"),
        ])
        // No base time: record times relative to when the server received the pack.
        let relative = IngestRecord.telemetry(TelemetryRecord(
            serial: brk, receivedAt: at(200),
            body: Array(#"[{"bn":"urn:dev:sn:BRK-0001:","n":"temp_l1","u":"Cel","v":41.5,"t":-5},{"n":"leakage","u":"A","v":0.004}]"#.utf8),
            pack: TelemetryPack(measurements: [])))
        try await store.apply(journal.append([first, relative]), through: journal.position)

        let packs = try await store.telemetry(brk, limit: 10)
        XCTAssertEqual(packs.map(\.receivedAt), [at(200), at(100)])
        XCTAssertEqual(packs.first?.measurements, [
            Measurement(name: "temp_l1", unit: "Cel", value: 41.5, time: at(195).timeIntervalSince1970),
            Measurement(name: "leakage", unit: "A", value: 0.004, time: at(200).timeIntervalSince1970),
        ])
        guard case .telemetry(let sent) = first else { return XCTFail("fixture") }
        XCTAssertEqual(packs.last?.measurements, sent.pack.measurements)

        let newest = try await store.telemetry(brk, limit: 1)
        XCTAssertEqual(newest.map(\.receivedAt), [at(200)])
        let none = try await store.telemetry(serial("BRK-0002"), limit: 10)
        XCTAssertEqual(none, [])
    }

    // MARK: tokens

    func testTokensAreFoundByHashAndUnique() async throws {
        let store = try openStore()
        let admin = StoredToken(id: "tok-1", name: "ops laptop", role: .admin, hash: String(repeating: "ab", count: 32),
                                createdAt: at(0), expiresAt: at(86_400))
        let installer = StoredToken(id: "tok-2", name: "field crew", role: .installer,
                                    hash: String(repeating: "cd", count: 32), createdAt: at(10), revokedAt: at(20))
        try await store.insertToken(admin)
        try await store.insertToken(installer)

        let found = try await store.token(hash: admin.hash)
        XCTAssertEqual(found, admin)
        let revoked = try await store.token(hash: installer.hash)
        XCTAssertEqual(revoked, installer)
        let unknown = try await store.token(hash: String(repeating: "00", count: 32))
        XCTAssertNil(unknown)

        await assertStoreError(.duplicate) {
            try await store.insertToken(StoredToken(id: "tok-3", name: "copy", role: .supervisor,
                                                    hash: admin.hash, createdAt: at(30)))
        }
        await assertStoreError(.duplicate) {
            try await store.insertToken(StoredToken(id: "tok-1", name: "same id", role: .supervisor,
                                                    hash: String(repeating: "ef", count: 32), createdAt: at(30)))
        }
        let all = try await store.tokens()
        XCTAssertEqual(all, [admin, installer])
    }

    // MARK: durability

    func testReopeningTheDatabaseKeepsEverything() async throws {
        let brk = serial("BRK-0001"), factory = serial("FAC-0002")
        let token = StoredToken(id: "tok-1", name: "ops", role: .supervisor, hash: String(repeating: "12", count: 32),
                                createdAt: at(0))
        var journal = FakeJournal()
        do {
            let store = try openStore()
            try await store.insertDevice(provisioned("BRK-0001"))
            try await store.insertToken(token)
            try await store.apply(journal.append([
                registration(brk, state: .active, at: at(1)),
                registration(factory, state: .unassigned, at: at(2)),
                telemetry(brk, at: at(3), [.value("voltage_l1", "V", 230)]),
                event(brk, "ev-1", at: at(4)),
            ]), through: journal.position)
            try store.close()
        }

        let store = try openStore()
        let position = try await store.appliedPosition()
        XCTAssertEqual(position, journal.position)
        let devices = try await store.allDevices()
        XCTAssertEqual(devices.map(\.serial), [brk, factory])
        XCTAssertEqual(devices.map(\.state), [.active, .unassigned])
        XCTAssertEqual(devices.first?.lastSeen, at(4))
        let found = try await store.token(hash: token.hash)
        XCTAssertEqual(found, token)
        let latest = try await store.latestMeasurements(brk)
        XCTAssertEqual(latest.map(\.value), [230])
        let events = try await store.events(brk, limit: 10)
        XCTAssertEqual(events.map(\.report.id), ["ev-1"])
        let packs = try await store.telemetry(brk, limit: 10)
        XCTAssertEqual(packs.map(\.receivedAt), [at(3)])

        // And the reopened store goes on from the checkpoint.
        try await store.apply(journal.append([event(brk, "ev-2", at: at(5))]), through: journal.position)
        let ids = try await store.recentEventIDs(perDevice: 10)
        XCTAssertEqual(ids[brk], ["ev-2", "ev-1"])
    }

    // MARK: throughput

    /// Not a pass/fail test: prints how fast telemetry goes in (a debug build is several times slower than
    /// release). 64 devices each send several packs per batch, so `latest_measurement` takes about one upsert
    /// per device and name per batch.
    func testIngestThroughput() async throws {
        try await measureIngest(devices: 64, batches: 20, batchSize: 512)
    }

    /// Not a pass/fail test: the same with 1 024 devices, so most devices send one pack per batch and
    /// `latest_measurement` takes an upsert for nearly every measurement of every pack.
    func testIngestThroughputManyDevices() async throws {
        try await measureIngest(devices: 1_024, batches: 20, batchSize: 512)
    }

    private func measureIngest(devices deviceCount: Int, batches batchCount: Int, batchSize: Int) async throws {
        let store = try openStore()
        let serials = (0..<deviceCount).map { serial(String(format: "BRK-%05d", $0)) }
        for brk in serials {
            try await store.insertDevice(Device(serial: brk, model: "BRK-3P-63", state: .active))
        }
        // Devices report interleaved, as they arrive.
        var journal = FakeJournal()
        var batches: [([JournaledRecord], JournalPosition)] = []
        var seed = 0
        for _ in 0..<batchCount {
            var batch: [JournaledRecord] = []
            for _ in 0..<batchSize {
                batch.append(journal.append(fullPack(serials[seed % deviceCount], at: at(Double(seed) / 100), seed: seed)))
                seed += 1
            }
            batches.append((batch, journal.position))
        }
        let bodyBytes = batches.flatMap(\.0).reduce(0) { sum, record in
            guard case .telemetry(let t) = record.record else { return sum }
            return sum + t.body.count
        }

        let clock = ContinuousClock()
        let elapsed = try await clock.measure {
            for (batch, through) in batches {
                try await store.apply(batch, through: through)
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let packs = batchCount * batchSize
        print(String(
            format: "SQLiteFleetStore ingest: %d packs (%d B, 12 measurements each) in %d batches of %d over %d devices: %.3f s, %.0f packs/s, %.1f µs/pack",
            packs, bodyBytes / packs, batchCount, batchSize, deviceCount, seconds, Double(packs) / seconds,
            seconds / Double(packs) * 1e6))

        let applied = try await store.appliedPosition()
        XCTAssertEqual(applied, journal.position)
        let latest = try await store.latestMeasurements(serials[5])
        XCTAssertEqual(latest.count, 12)
        let packsOfOne = try await store.telemetry(serials[5], limit: 10_000)
        XCTAssertEqual(packsOfOne.count, packs / deviceCount)
        let device = try await store.device(serials[5])
        XCTAssertEqual(device?.lastSeen, packsOfOne.first?.receivedAt)
    }
}
