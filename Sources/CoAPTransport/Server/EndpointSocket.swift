internal import CLibCoap
import Foundation
import Glibc

/// The UDP socket of one libcoap endpoint. libcoap 4.3.1 has no accessor for it, but it registers every
/// socket it owns in the context's epoll descriptor (`coap_context_get_coap_fd`), and Linux lists an epoll
/// descriptor's registrations in `/proc/self/fdinfo`: the one descriptor that `coap_new_endpoint` added is
/// the endpoint's socket. It is then checked to be a UDP socket bound to the endpoint's port, so a wrong
/// guess is an error, never a setting changed on somebody else's socket.
struct EndpointSocket {
    let descriptor: Int32

    /// The descriptors registered in an epoll instance now.
    static func registered(in epoll: Int32) throws(CoAPTransportError) -> Set<Int32> {
        guard let text = try? String(contentsOfFile: "/proc/self/fdinfo/\(epoll)", encoding: .utf8) else {
            throw CoAPTransportError(.system, "cannot read /proc/self/fdinfo/\(epoll) to find the endpoint's socket")
        }
        // Lines like `tfd:        7 events:       19 data: 5581d6f4 pos:0 ino:… sdev:…`.
        var descriptors: Set<Int32> = []
        for line in text.split(separator: "\n") where line.hasPrefix("tfd:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count > 1, let fd = Int32(fields[1]) { descriptors.insert(fd) }
        }
        return descriptors
    }

    /// The socket `coap_new_endpoint` just added to `epoll`, given the registrations before it.
    static func added(
        to epoll: Int32, since before: Set<Int32>, boundTo endpoint: CoAPEndpoint
    ) throws(CoAPTransportError) -> EndpointSocket {
        let new = try registered(in: epoll).subtracting(before)
        let candidates = new.filter { bf_udp_socket_port($0) == Int32(endpoint.port) }
        guard candidates.count == 1, let descriptor = candidates.first else {
            throw CoAPTransportError(
                .system, "cannot tell the UDP socket of \(endpoint.host):\(endpoint.port) (\(new.count) new descriptors)")
        }
        return EndpointSocket(descriptor: descriptor)
    }

    /// Sets SO_RCVBUF; returns the size the kernel granted (capped by net.core.rmem_max).
    func setReceiveBuffer(bytes: Int) throws(CoAPTransportError) -> Int {
        var granted: Int32 = 0
        let failure = bf_set_receive_buffer(descriptor, Int32(clamping: bytes), &granted)
        guard failure == 0 else {
            throw CoAPTransportError(.system, "setsockopt(SO_RCVBUF, \(bytes)) failed: errno \(failure)")
        }
        // Linux reports twice the size asked for (the doubled value includes its bookkeeping).
        return Int(granted) / 2
    }
}
