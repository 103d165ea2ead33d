import FleetDomain
import Foundation
import XCTest

/// The hash chain as pure functions: sealing entries onto a head and telling exactly where a stored chain
/// stops being what was written.
final class AuditChainTests: XCTestCase {
    private let admin = AuditActor(name: "alice", role: "admin")

    private func entries(_ count: Int) -> [AuditEntry] {
        (1...count).map { index in
            AuditEntry(at: Date(timeIntervalSince1970: testNow + Double(index)), actor: admin, action: "device.install",
                       target: "device:BRK-\(1000 + index)", device: "BRK-\(1000 + index)",
                       detail: ["site": "yanhu-market", "circuit": "L\(index)"])
        }
    }

    private func chain(_ count: Int) -> (records: [AuditRecord], head: AuditHead) {
        AuditChain.seal(entries(count), after: .empty)
    }

    func testSealedRecordsAreNumberedFromOneAndEachLinksToTheOneBefore() {
        let (records, head) = chain(3)
        XCTAssertEqual(records.map(\.sequence), [1, 2, 3])
        XCTAssertEqual(records[0].previousHash, AuditChain.genesisHash)
        XCTAssertEqual(records[1].previousHash, records[0].hash)
        XCTAssertEqual(records[2].previousHash, records[1].hash)
        XCTAssertEqual(head, AuditHead(count: 3, hash: records[2].hash))
        XCTAssertEqual(Set(records.map(\.hash)).count, 3)
        XCTAssertTrue(records.allSatisfy { $0.hash.count == 64 && Hex.decode($0.hash)?.count == 32 })
    }

    func testSealingContinuesFromAHead() {
        let (first, head) = chain(2)
        let (more, newHead) = AuditChain.seal(entries(1), after: head)
        XCTAssertEqual(more.map(\.sequence), [3])
        XCTAssertEqual(more[0].previousHash, first[1].hash)
        XCTAssertEqual(AuditChain.verify(first + more, head: newHead), .intact(count: 3, lastHash: more[0].hash))
    }

    func testTimesAreCutToWholeMillisecondsSoTheyRoundTripThroughAStore() {
        let entry = AuditEntry(at: Date(timeIntervalSince1970: 1_764_384_000.123_456), actor: admin, action: "site.create",
                               target: "site:x")
        let record = AuditChain.seal([entry], after: .empty).records[0]
        XCTAssertEqual(record.atMilliseconds, 1_764_384_000_123)
        XCTAssertEqual(record.at, AuditCanonicalForm.date(milliseconds: 1_764_384_000_123))
        XCTAssertEqual(AuditChain.expectedHash(of: record), record.hash)
    }

    /// The same record as docs/audit.md computes it in Python: the form is a contract, not an accident.
    func testTheCanonicalFormAndHashMatchTheDocumentedReference() {
        let entry = AuditEntry(
            at: AuditCanonicalForm.date(milliseconds: 1_764_384_000_123), actor: admin, action: "device.revoke",
            target: "device:BRK-0001", device: "BRK-0001", reason: "stolen: see ticket\n42",
            detail: ["site": "yanhu-market", "état": "é", "a=b": ""])
        let bytes = AuditCanonicalForm.bytes(of: entry, sequence: 1, previousHash: AuditChain.genesisHash)
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), """
            bf-audit-v1
            sequence:1
            previous_hash:\(AuditChain.genesisHash)
            at_ms:1764384000123
            actor.name:5:alice
            actor.role:5:admin
            action:13:device.revoke
            target:15:device:BRK-0001
            device:8:BRK-0001
            reason:21:stolen: see ticket
            42
            breaker:-
            detail:3
            3:a=b=0:
            4:site=12:yanhu-market
            5:état=2:é

            """)
        XCTAssertEqual(AuditChain.hash(of: entry, sequence: 1, previousHash: AuditChain.genesisHash),
                       "94ec324348cc7846602a4f955e5514782b2a7c934706bd1f4598870e696527d2")
    }

    /// The JSON form carries the exact millisecond (`at_ms`) next to the readable `at`, and every
    /// optional key as null: what a client re-verifies from.
    func testTheJSONFormRoundTripsExactlyAndStillVerifies() throws {
        var entries = entries(2)
        entries[1].at = Date(timeIntervalSince1970: testNow + 0.789)
        entries[1].breaker = "open"
        let (records, head) = AuditChain.seal(entries, after: .empty)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let json = try encoder.encode(records)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let decoded = try decoder.decode([AuditRecord].self, from: json)
        XCTAssertEqual(decoded, records)
        XCTAssertEqual(AuditChain.verify(decoded, head: head), .intact(count: 2, lastHash: head.hash))
        let first = try XCTUnwrap((try JSONSerialization.jsonObject(with: json) as? [[String: Any]])?.first)
        XCTAssertTrue(first["reason"] is NSNull && first["breaker"] is NSNull, "\(first)")
        XCTAssertEqual((first["at_ms"] as? NSNumber)?.int64Value, records[0].atMilliseconds)
    }

    func testAbsentAndEmptyValuesHashDifferently() {
        let absent = AuditEntry(at: Date(timeIntervalSince1970: testNow), actor: admin, action: "ban.add", target: "model:X")
        var empty = absent
        empty.reason = ""
        XCTAssertNotEqual(AuditChain.hash(of: absent, sequence: 1, previousHash: AuditChain.genesisHash),
                          AuditChain.hash(of: empty, sequence: 1, previousHash: AuditChain.genesisHash))
    }

    func testAnIntactChainVerifies() {
        let (records, head) = chain(5)
        XCTAssertEqual(AuditChain.verify(records, head: head), .intact(count: 5, lastHash: head.hash))
        XCTAssertEqual(AuditChain.verify([], head: .empty), .intact(count: 0, lastHash: AuditChain.genesisHash))
    }

    func testAnAlteredFieldIsNamedByItsRecord() {
        var (records, head) = chain(5)
        records[2].reason = "nothing to see"
        XCTAssertEqual(AuditChain.verify(records, head: head), .broken(firstBadSequence: 3, what: .altered))
        XCTAssertEqual(AuditChain.verify(records, head: head).description,
                       "record 3 was altered (its hash does not match its content)")

        (records, head) = chain(5)
        records[0].detail["circuit"] = "L9"
        XCTAssertEqual(AuditChain.verify(records, head: head), .broken(firstBadSequence: 1, what: .altered))
    }

    /// Rewriting a record and its hash does not help: the next record no longer links to it.
    func testARecordRewrittenWithANewHashBreaksTheNextLink() {
        var (records, head) = chain(5)
        records[1].actor = AuditActor(name: "mallory", role: "admin")
        records[1].hash = AuditChain.expectedHash(of: records[1])
        XCTAssertEqual(AuditChain.verify(records, head: head), .broken(firstBadSequence: 3, what: .removed))
    }

    func testARemovedMiddleRecordIsNamed() {
        var (records, head) = chain(5)
        records.remove(at: 2)
        XCTAssertEqual(AuditChain.verify(records, head: head), .broken(firstBadSequence: 3, what: .removed))
    }

    /// Removing a record and renumbering (and re-hashing) the rest leaves a gapless sequence, but the link.
    func testARemovedRecordIsFoundEvenWhenTheRestIsRenumbered() {
        var (records, head) = chain(5)
        records.remove(at: 2)
        for index in 2..<records.count {
            records[index].sequence -= 1
            records[index].hash = AuditChain.expectedHash(of: records[index])
        }
        head = AuditHead(count: 4, hash: records[3].hash)
        XCTAssertEqual(AuditChain.verify(records, head: head), .broken(firstBadSequence: 3, what: .removed))
    }

    /// A chain cut at its end is a perfect shorter chain: only the head kept apart tells.
    func testARemovedLastRecordIsFoundOnlyAgainstTheHead() {
        var (records, head) = chain(5)
        records.removeLast()
        XCTAssertEqual(AuditChain.verify(records, head: nil), .intact(count: 4, lastHash: records[3].hash))
        XCTAssertEqual(AuditChain.verify(records, head: head), .broken(firstBadSequence: 5, what: .removed))
    }

    func testALastRecordRewrittenWithANewHashDisagreesWithTheHead() {
        var (records, head) = chain(3)
        records[2].reason = "changed"
        records[2].hash = AuditChain.expectedHash(of: records[2])
        XCTAssertEqual(AuditChain.verify(records, head: head), .broken(firstBadSequence: 3, what: .altered))
    }

    func testRecordsPastTheHeadWereAddedOutsideTheStore() {
        let (records, _) = chain(4)
        let staleHead = AuditHead(count: 3, hash: records[2].hash)
        XCTAssertEqual(AuditChain.verify(records, head: staleHead), .broken(firstBadSequence: 4, what: .appended))
    }

    /// Read in sequence order a swap shows as a gap (the first missing number); a number that goes back
    /// or repeats is out of order.
    func testRecordsOutOfOrderAreNamed() {
        var (records, head) = chain(4)
        records.swapAt(1, 2)
        XCTAssertEqual(AuditChain.verify(records, head: head), .broken(firstBadSequence: 2, what: .removed))
        (records, head) = chain(4)
        records.insert(records[1], at: 2)
        XCTAssertEqual(AuditChain.verify(records, head: head), .broken(firstBadSequence: 2, what: .reordered))
    }

    func testTheVerifierStopsAtTheFirstProblem() {
        var (records, head) = chain(6)
        records[1].target = "device:BRK-9999"
        records.remove(at: 4)
        XCTAssertEqual(AuditChain.verify(records, head: head), .broken(firstBadSequence: 2, what: .altered))
    }
}
