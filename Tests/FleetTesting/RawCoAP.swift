import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Plain CoAP datagrams written byte by byte, for tests that need what no well-behaved client sends: odd
/// Block1 sequences, empty last blocks, lying Size1 options. Sent from one UDP socket on loopback.
public final class RawCoAP: @unchecked Sendable {
    // Used by one test at a time, sequentially.
    public struct Option: Sendable {
        public let number: Int
        public let value: [UInt8]

        public init(_ number: Int, _ value: [UInt8]) {
            self.number = number
            self.value = value
        }

        public static func uriPath(_ segment: String) -> Option { Option(11, Array(segment.utf8)) }
        public static func contentFormat(_ format: UInt32) -> Option { Option(12, uint(format)) }
        public static func block1(number: UInt32, more: Bool, szx: UInt8) -> Option {
            Option(27, uint(number << 4 | (more ? 8 : 0) | UInt32(szx)))
        }
        public static func size1(_ size: UInt32) -> Option { Option(60, uint(size)) }

        public static func uint(_ value: UInt32) -> [UInt8] {
            var bytes: [UInt8] = []
            var rest = value
            while rest != 0 { bytes.insert(UInt8(rest & 0xFF), at: 0); rest >>= 8 }
            return bytes
        }
    }

    public struct Answer: Sendable, CustomStringConvertible {
        /// `2.05`, `4.13`, …
        public let code: String
        public let options: [(number: Int, value: [UInt8])]
        public let payload: [UInt8]

        public var text: String { String(decoding: payload, as: UTF8.self) }
        public func option(_ number: Int) -> [UInt8]? { options.first { $0.number == number }?.value }
        public func uintOption(_ number: Int) -> UInt32? { option(number).map { $0.reduce(0) { $0 << 8 | UInt32($1) } } }
        public var description: String { "\(code) \(text)" }
    }

    private let fd: Int32
    private var address = sockaddr_in()
    private var messageID: UInt16 = UInt16.random(in: 0...UInt16.max)

    public init(port: UInt16) {
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        precondition(fd >= 0, "socket failed")
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
    }

    deinit { close(fd) }

    /// Encodes a confirmable request (options sorted by number).
    public static func datagram(method: UInt8, messageID: UInt16, token: [UInt8], options: [Option], payload: [UInt8] = []) -> [UInt8] {
        var bytes: [UInt8] = [0x40 | UInt8(token.count), method, UInt8(messageID >> 8), UInt8(messageID & 0xFF)] + token
        var previous = 0
        for option in options.sorted(by: { $0.number < $1.number }) {
            let (deltaNibble, deltaExtra) = nibble(option.number - previous)
            let (lengthNibble, lengthExtra) = nibble(option.value.count)
            bytes.append(deltaNibble << 4 | lengthNibble)
            bytes += deltaExtra + lengthExtra + option.value
            previous = option.number
        }
        if !payload.isEmpty { bytes += [0xFF] + payload }
        return bytes
    }

    private static func nibble(_ value: Int) -> (UInt8, [UInt8]) {
        if value < 13 { return (UInt8(value), []) }
        if value < 269 { return (13, [UInt8(value - 13)]) }
        return (14, [UInt8((value - 269) >> 8), UInt8((value - 269) & 0xFF)])
    }

    /// Sends a request and waits up to `timeout` seconds for the answer with the same message id; nil if none.
    public func request(method: UInt8 = 2, options: [Option], payload: [UInt8] = [], timeout: Double = 3) -> Answer? {
        messageID &+= 1
        let token = withUnsafeBytes(of: messageID.bigEndian) { Array($0) }
        send(Self.datagram(method: method, messageID: messageID, token: token, options: options, payload: payload))
        return receive(messageID: messageID, timeout: timeout)
    }

    /// Sends raw bytes, well-formed or not.
    public func send(_ bytes: [UInt8]) {
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { target in
                bytes.withUnsafeBufferPointer { sendto(fd, $0.baseAddress, $0.count, 0, target, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
    }

    private func receive(messageID: UInt16, timeout: Double) -> Answer? {
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 2048)
        while Date() < deadline {
            var poll = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let waited = Glibc.poll(&poll, 1, Int32(max(1, deadline.timeIntervalSinceNow * 1000)))
            guard waited > 0 else { continue }
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count >= 4 else { continue }
            let bytes = Array(buffer[0..<count])
            guard UInt16(bytes[2]) << 8 | UInt16(bytes[3]) == messageID, let answer = Self.parse(bytes) else { continue }
            return answer
        }
        return nil
    }

    static func parse(_ bytes: [UInt8]) -> Answer? {
        let tokenLength = Int(bytes[0] & 0x0F)
        var index = 4 + tokenLength
        guard index <= bytes.count else { return nil }
        let code = "\(bytes[1] >> 5).\(String(format: "%02d", bytes[1] & 0x1F))"
        var options: [(Int, [UInt8])] = []
        var number = 0
        while index < bytes.count, bytes[index] != 0xFF {
            var delta = Int(bytes[index] >> 4), length = Int(bytes[index] & 0x0F)
            index += 1
            func extend(_ value: inout Int) {
                if value == 13 { value = 13 + Int(bytes[index]); index += 1 } else if value == 14 {
                    value = 269 + (Int(bytes[index]) << 8 | Int(bytes[index + 1])); index += 2
                }
            }
            extend(&delta)
            extend(&length)
            number += delta
            options.append((number, Array(bytes[index..<min(index + length, bytes.count)])))
            index += length
        }
        let payload = index < bytes.count ? Array(bytes[(index + 1)...]) : []
        return Answer(code: code, options: options, payload: payload)
    }
}
