import DeviceWire
import FleetDomain
import Foundation
import XCTest

/// The threshold profiles shipped in `Profiles/` (spec/profiles.md): one per site category plus `default`,
/// each readable by `ProfileDecoder`, free of violations, in canonical form, and carrying out nothing a
/// typical smart breaker cannot do.
final class ShippedProfilesTests: XCTestCase {
    /// A shipped file: its name (`commerce.json`), its bytes and the profile it decodes to.
    private struct Shipped {
        let fileName: String
        let bytes: [UInt8]
        let profile: ThresholdProfile

        /// The file name without `.json`.
        var stem: String { String(fileName.dropLast(".json".count)) }
    }

    /// `Profiles/` at the package root, up from `Tests/DeviceWireTests/Profiles/` where this file lives.
    private static let profilesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Tests/DeviceWireTests/Profiles
        .deletingLastPathComponent()  // Tests/DeviceWireTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the package root
        .appendingPathComponent("Profiles", isDirectory: true)

    /// What a typical smart breaker declares: sensors and remote control, but an arc detector that cannot
    /// open on an arc (no `arc_extinguish`).
    private static let typicalCapabilities: Set<String> = ["leakage", "temperature", "arc_detect", "remote_trip", "remote_reset"]

    private func jsonFileNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: Self.profilesDirectory.path)
            .filter { $0.hasSuffix(".json") }
            .sorted()
    }

    /// Every `Profiles/*.json` that decodes; a file that does not is a failure naming it.
    private func shipped(file: StaticString = #filePath, line: UInt = #line) throws -> [Shipped] {
        var result: [Shipped] = []
        for name in try jsonFileNames() {
            let bytes = try Array(Data(contentsOf: Self.profilesDirectory.appendingPathComponent(name)))
            do {
                let profile = try ProfileDecoder.decode(bytes)
                result.append(Shipped(fileName: name, bytes: bytes, profile: profile))
            } catch {
                XCTFail("\(name) does not decode: \(error)", file: file, line: line)
            }
        }
        return result
    }

    func testElevenFilesOnePerCategoryPlusDefault() throws {
        let names = try jsonFileNames()
        XCTAssertEqual(names.count, 11, "Profiles/ holds \(names)")
        let expected = (["default"] + SiteCategory.noticeCategories.map(\.rawValue)).map { "\($0).json" }.sorted()
        XCTAssertEqual(names, expected)
    }

    func testEveryFileDecodesAndValidates() throws {
        let all = try shipped()
        XCTAssertEqual(all.count, 11, "every file decodes")
        for item in all {
            XCTAssertEqual(ProfileValidator.validate(item.profile).map(\.description), [], "\(item.fileName) has violations")
        }
    }

    func testFileNameIsTheId() throws {
        for item in try shipped() {
            XCTAssertEqual(item.profile.id, item.stem, "\(item.fileName): id")
        }
    }

    func testEachCategoryIsCoveredExactlyOnce() throws {
        var categories: [SiteCategory] = []
        for item in try shipped() {
            if item.stem == "default" {
                XCTAssertEqual(item.profile.siteCategory, .default, "\(item.fileName): site_category")
            } else {
                XCTAssertEqual(item.profile.siteCategory.rawValue, item.stem, "\(item.fileName): site_category is not its id")
                XCTAssertNotEqual(item.profile.siteCategory, .default, "\(item.fileName): only default.json may have site_category default")
                categories.append(item.profile.siteCategory)
            }
        }
        XCTAssertEqual(categories.count, SiteCategory.noticeCategories.count, "one file per category: \(categories)")
        XCTAssertEqual(Set(categories), Set(SiteCategory.noticeCategories), "the ten categories of the notice")
    }

    func testEveryProfileStatesItsBasisAndNotes() throws {
        for item in try shipped() {
            let basis = item.profile.standardBasis?.trimmingCharacters(in: .whitespaces) ?? ""
            let notes = item.profile.notes?.trimmingCharacters(in: .whitespaces) ?? ""
            XCTAssertFalse(basis.isEmpty, "\(item.fileName): standard_basis is missing or empty")
            XCTAssertFalse(notes.isEmpty, "\(item.fileName): notes is missing or empty")
        }
    }

    /// The server sets `version` on every change; a file that carried one would fight it.
    func testNoFileCarriesAVersion() throws {
        for item in try shipped() {
            XCTAssertNil(item.profile.version, "\(item.fileName): version")
            let object = try JSONSerialization.jsonObject(with: Data(item.bytes)) as? [String: Any]
            XCTAssertNotNil(object, "\(item.fileName): not a JSON object")
            XCTAssertFalse(object?.keys.contains("version") ?? true, "\(item.fileName): has a version field (even null)")
        }
    }

    /// Every group in full, in the field order of `ThresholdProfile.jsonBytes()`, numbers spelled as it
    /// spells them: the file minus its indentation is exactly the canonical form.
    func testFilesAreInCanonicalForm() throws {
        for item in try shipped() {
            let canonical = item.profile.jsonBytes()
            XCTAssertEqual(
                String(decoding: compact(item.bytes), as: UTF8.self), String(decoding: canonical, as: UTF8.self),
                "\(item.fileName) is not in canonical order or spelling")
        }
    }

    func testDefaultCarriesTheSpecDefaults() throws {
        let items = try shipped().filter { $0.stem == "default" }
        XCTAssertEqual(items.count, 1, "default.json")
        guard let profile = items.first?.profile else { return }
        var expected = ThresholdProfile.factoryDefault
        expected.standardBasis = profile.standardBasis
        expected.notes = profile.notes
        XCTAssertEqual(profile, expected, "default.json differs from the spec's default column (ThresholdProfile.factoryDefault)")
    }

    /// With id, category, notes and basis set aside, each category profile differs from `default` in at
    /// least one threshold group: otherwise it has no reason to exist.
    func testEveryCategoryDiffersFromDefault() throws {
        let all = try shipped()
        guard let base = all.first(where: { $0.stem == "default" })?.profile else {
            return XCTFail("default.json is missing")
        }
        for item in all where item.stem != "default" {
            XCTAssertNotEqual(neutral(item.profile), neutral(base), "\(item.fileName) equals default.json")
            XCTAssertFalse(differingGroups(item.profile, base).isEmpty, "\(item.fileName) has no threshold group of its own")
        }
    }

    /// No shipped profile needs `arc_extinguish` (an arc trip), so each applies on a typical breaker with
    /// leakage and temperature sensors, an arc detector and remote trip/reset.
    func testTypicalBreakerCanCarryOutEveryProfile() throws {
        for item in try shipped() {
            XCTAssertEqual(
                ProfileValidator.check(item.profile, capabilities: Self.typicalCapabilities).map(\.description), [],
                "\(item.fileName) needs a capability a typical breaker lacks")
            XCTAssertEqual(item.profile.arc.action, .alarm, "\(item.fileName): arc.action trip needs arc_extinguish")
        }
    }

    /// Shipped data makes no deliberate exceptions: the 80 % cable rule holds without `override`, and a
    /// device that reports only by telemetry is not marked offline between two packs (3 × heartbeat_s).
    func testNoOverrideAndContactWithinThreeHeartbeats() throws {
        for item in try shipped() {
            XCTAssertFalse(item.profile.temperature.override, "\(item.fileName): temperature.override")
            let reporting = item.profile.reporting
            XCTAssertLessThanOrEqual(
                reporting.telemetryIntervalS, 3 * reporting.heartbeatS,
                "\(item.fileName): telemetry_interval_s above 3 × heartbeat_s (docs/breaker-simulation.md)")
        }
    }

    // MARK: Helpers

    /// The profile with its header (id, version, category, basis, notes) set aside.
    private func neutral(_ profile: ThresholdProfile) -> ThresholdProfile {
        var copy = profile
        copy.id = "neutral"
        copy.version = nil
        copy.siteCategory = .default
        copy.standardBasis = nil
        copy.notes = nil
        return copy
    }

    /// The names of the groups in which `a` and `b` differ.
    private func differingGroups(_ a: ThresholdProfile, _ b: ThresholdProfile) -> [String] {
        let groups: [(String, Bool)] = [
            ("leakage", a.leakage != b.leakage),
            ("temperature", a.temperature != b.temperature),
            ("arc", a.arc != b.arc),
            ("overload", a.overload != b.overload),
            ("short_circuit", a.shortCircuit != b.shortCircuit),
            ("voltage", a.voltage != b.voltage),
            ("power", a.power != b.power),
            ("reporting", a.reporting != b.reporting),
            ("remote", a.remote != b.remote),
        ]
        return groups.filter { $0.1 }.map { $0.0 }
    }

    /// `bytes` without the whitespace between tokens; strings are kept as they are.
    private func compact(_ bytes: [UInt8]) -> [UInt8] {
        let whitespace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                result.append(byte)
            } else if byte == UInt8(ascii: "\"") {
                inString = true
                result.append(byte)
            } else if !whitespace.contains(byte) {
                result.append(byte)
            }
        }
        return result
    }
}
