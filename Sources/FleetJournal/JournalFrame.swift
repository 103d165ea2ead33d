import FleetDomain
import Foundation

/// The kinds of acknowledged device messages the journal carries.
public enum JournalKind: UInt8, Sendable {
    case registration = 1
    case telemetry = 2
    case event = 3
    case profileReport = 4
    /// `POST /v1/commands/{id}`: the body is the 20-byte command id, then the device's JSON.
    case commandResult = 5
    case heartbeat = 6
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

    /// The bytes `encode` writes for a record of this serial and body.
    static func encodedSize(serialLength: Int, bodyLength: Int) -> Int {
        headerSize + 3 + serialLength + 8 + bodyLength
    }

    /// Writes the encoded frame at the start of `destination`, which holds at least `encodedSize` bytes
    /// (the writer encodes straight into its mapped segment), and returns the number of bytes written.
    @discardableResult
    static func encode(
        kind: JournalKind, state: UInt8, serial: String, receivedAtMilliseconds: Int64,
        body: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer
    ) -> Int {
        var serial = serial
        return serial.withUTF8 { serialBytes in
            let size = encodedSize(serialLength: serialBytes.count, bodyLength: body.count)
            precondition(destination.count >= size && serialBytes.count <= Int(UInt8.max))
            let base = destination.baseAddress!
            base.storeBytes(of: UInt32(size - headerSize).littleEndian, toByteOffset: 0, as: UInt32.self)
            base.storeBytes(of: kind.rawValue, toByteOffset: 8, as: UInt8.self)
            base.storeBytes(of: state, toByteOffset: 9, as: UInt8.self)
            base.storeBytes(of: UInt8(serialBytes.count), toByteOffset: 10, as: UInt8.self)
            var offset = 11
            if let serialBase = serialBytes.baseAddress {
                (base + offset).copyMemory(from: serialBase, byteCount: serialBytes.count)
            }
            offset += serialBytes.count
            base.storeBytes(of: UInt64(bitPattern: receivedAtMilliseconds).littleEndian, toByteOffset: offset, as: UInt64.self)
            offset += 8
            if let bodyBase = body.baseAddress, !body.isEmpty {
                (base + offset).copyMemory(from: bodyBase, byteCount: body.count)
            }
            let crc = CRC32.checksum(UnsafeRawBufferPointer(start: base + headerSize, count: size - headerSize))
            base.storeBytes(of: crc.littleEndian, toByteOffset: 4, as: UInt32.self)
            return size
        }
    }

    /// Replaces `buffer`'s contents with the encoded frame.
    static func encode(
        kind: JournalKind, state: UInt8, serial: String, receivedAtMilliseconds: Int64,
        body: UnsafeRawBufferPointer, into buffer: inout [UInt8]
    ) {
        let size = encodedSize(serialLength: serial.utf8.count, bodyLength: body.count)
        buffer = [UInt8](unsafeUninitializedCapacity: size) { bytes, initialized in
            encode(kind: kind, state: state, serial: serial, receivedAtMilliseconds: receivedAtMilliseconds,
                   body: body, into: UnsafeMutableRawBufferPointer(bytes))
            initialized = size
        }
    }

    enum DecodeResult: Equatable {
        case frame(JournalFrame, length: Int)
        /// Not enough bytes, a bad CRC or an impossible field: the end of the valid journal.
        case torn
        /// A zero header: space the writer reserved ahead of its records and never filled. A segment the
        /// server did not close cleanly ends this way; it is the end of the journal, not damage.
        case unwritten
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) -> DecodeResult {
        guard bytes.count >= headerSize else { return .torn }
        let length = Int(bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self).littleEndian)
        let crc = bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian
        if length == 0 && crc == 0 { return .unwritten }
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
}
