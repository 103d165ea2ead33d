import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback port that nothing listens on right now (the kernel picks it; we release it for the server).
public enum FreePort {
    public static func udp() -> UInt16 { pick(SOCK_DGRAM) }
    public static func tcp() -> UInt16 { pick(SOCK_STREAM) }

    private static func pick(_ type: __socket_type) -> UInt16 {
        let fd = socket(AF_INET, Int32(type.rawValue), 0)
        precondition(fd >= 0, "socket failed")
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                precondition(bind(fd, socketAddress, length) == 0, "bind failed")
                precondition(getsockname(fd, socketAddress, &length) == 0, "getsockname failed")
            }
        }
        return UInt16(bigEndian: address.sin_port)
    }
}
