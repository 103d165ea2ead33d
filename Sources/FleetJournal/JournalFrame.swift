import FleetDomain
import Foundation

/// The kinds of acknowledged device messages the journal carries.
public enum JournalKind: UInt8, Sendable {
    case registration = 1
    case telemetry = 2
    case event = 3
    case profileReport = 4
}

/// One journal record on disk:
///
///     [payload length: u32 LE][CRC-32 of payload: u32 LE][payload]
///     payload = [kind: u8][state: u8][serial length: u8][serial][received at, ms: i64 LE][device body]
///
/// The device's request body is kept as it arrived (it was validated before the append), so the loop
/// thread copies bytes instead of re-encoding; replay parses it again with the same parsers.
/// The CRC finds a torn tail: a record cut short by a crash was never acknowledged and is dropped.
struct JournalFrame: Equatable {
    static let headerSize = 8
    /// A sanity bound far above the 16 KiB device body limit, so a corrupt length is recognised.
    static let maxPayload = 1 << 20

    var kind: JournalKind
    var state: UInt8
    var serial: String
    var receivedAtMilliseconds: Int64
    var body: [UInt8]

    /// Appends the encoded frame to `buffer` (reused by the writer to avoid an allocation per record).
    static func encode(
        kind: JournalKind, state: UInt8, serial: String, receivedAtMilliseconds: Int64,
        body: UnsafeRawBufferPointer, into buffer: inout [UInt8]
    ) {
        buffer.removeAll(keepingCapacity: true)
        let serialBytes = serial.utf8
        let payloadLength = 3 + serialBytes.count + 8 + body.count
        appendLittleEndian(UInt32(payloadLength), to: &buffer)
        appendLittleEndian(UInt32(0), to: &buffer)  // CRC, filled in below
        buffer.append(kind.rawValue)
        buffer.append(state)
        buffer.append(UInt8(serialBytes.count))
        buffer.append(contentsOf: serialBytes)
        appendLittleEndian(UInt64(bitPattern: receivedAtMilliseconds), to: &buffer)
        buffer.append(contentsOf: body)
        let crc = buffer.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[headerSize...])) }
        withUnsafeBytes(of: crc.littleEndian) { crcBytes in
            for index in 0..<4 { buffer[4 + index] = crcBytes[index] }
        }
    }

    enum DecodeResult: Equatable {
        case frame(JournalFrame, length: Int)
        /// Not enough bytes, a bad CRC or an impossible field: the end of the valid journal.
        case torn
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) -> DecodeResult {
        guard bytes.count >= headerSize else { return .torn }
        let length = Int(bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self).littleEndian)
        let crc = bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian
        guard length >= 11, length <= maxPayload, bytes.count >= headerSize + length else { return .torn }
        let payload = UnsafeRawBufferPointer(rebasing: bytes[headerSize..<(headerSize + length)])
        guard CRC32.checksum(payload) == crc, let kind = JournalKind(rawValue: payload[0]) else { return .torn }
        let serialLength = Int(payload[2])
        guard 3 + serialLength + 8 <= length else { return .torn }
        let serial = String(decoding: payload[3..<(3 + serialLength)], as: UTF8.self)
        let millis = Int64(bitPattern: payload.loadUnaligned(fromByteOffset: 3 + serialLength, as: UInt64.self).littleEndian)
        let body = Array(payload[(3 + serialLength + 8)...])
        let frame = JournalFrame(kind: kind, state: payload[1], serial: serial, receivedAtMilliseconds: millis, body: body)
        return .frame(frame, length: headerSize + length)
    }

    private static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }
}
