internal import CLibCoap

/// libcoap's own packet-loss simulation, for testing under loss: `coap_debug_set_packet_loss` makes
/// `coap_network_send` drop that share of the datagrams this process sends (DTLS handshake records, requests,
/// ACKs and RSTs alike; nothing received is dropped). It is process-wide: every context of the process.
public enum CoAPPacketLoss {
    /// `"20%"` drops each datagram with probability 0.2; `"3,7-9"` drops the 3rd and the 7th to 9th.
    /// Returns false for a specification libcoap does not accept.
    public static func dropSent(_ specification: String) -> Bool {
        coap_startup()
        return specification.withCString { coap_debug_set_packet_loss($0) } == 1
    }
}
