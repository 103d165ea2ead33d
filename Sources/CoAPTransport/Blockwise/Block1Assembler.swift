/// Reassembles request bodies sent with Block1 (RFC 7959 §2.5) before the resource's handler sees them.
/// Loop thread only; a pure value, tested without sockets.
///
/// The server does this itself instead of libcoap 4.3.1's `COAP_BLOCK_SINGLE_BODY`, which dereferences a
/// NULL body when the last block carries no payload, or when no Size1 came with the first block (two
/// datagrams from any peer crashed the process), and which hands the first block alone to the handler
/// when Size1 is absent. Here every body is bounded as it arrives: a transfer that announces (Size1) or
/// reaches more than `maxBodyBytes` is refused at that block with 4.13, and at most `maxTransfers` bodies
/// are in progress at once, each forgotten after `idleTimeout` without a block.
struct Block1Assembler {
    struct Key: Hashable {
        let session: CoAPSessionHandle
        let path: String
        /// The Request-Tag option (RFC 9175), which lets a client run several transfers to one resource.
        let requestTag: [UInt8]
    }

    enum Outcome: Equatable {
        /// The whole body: call the handler, and answer with Block1 echoing `last` (M clear).
        case complete(body: [UInt8], last: BlockOption)
        /// More blocks to come: answer 2.31 Continue with this Block1.
        case proceed(BlockOption)
        /// Answer this error; `size1` (the largest body accepted) goes with 4.13.
        case refuse(CoAPCode, String, size1: Int?)
    }

    private struct Transfer {
        var body: [UInt8]
        var contentFormat: ContentFormat?
        var lastBlock: BlockOption
        var lastActivity: UInt64
    }

    let maxBodyBytes: Int
    let maxTransfers: Int
    let idleTimeoutNanoseconds: UInt64
    private var transfers: [Key: Transfer] = [:]
    private var lastSweep: UInt64 = 0

    init(maxBodyBytes: Int, maxTransfers: Int = 256, idleTimeoutSeconds: Int = 60) {
        self.maxBodyBytes = maxBodyBytes
        self.maxTransfers = maxTransfers
        self.idleTimeoutNanoseconds = UInt64(idleTimeoutSeconds) * 1_000_000_000
    }

    var inProgress: Int { transfers.count }

    /// Takes one block of a request body. `now` is a monotonic time in nanoseconds.
    mutating func receive(
        _ block: BlockOption, payload: UnsafeRawBufferPointer, size1: Int?, contentFormat: ContentFormat?,
        key: Key, now: UInt64
    ) -> Outcome {
        sweepIfDue(now: now)
        if block.isBERT {
            transfers[key] = nil
            return .refuse(.badRequest, "Block1 SZX 7 (BERT) is for reliable transports only", size1: nil)
        }
        if block.more && payload.count != block.size {
            transfers[key] = nil
            return .refuse(.badRequest, "Block1 \(block): a block before the last carries exactly \(block.size) bytes, not \(payload.count)", size1: nil)
        }
        if block.number == 0 {
            return start(block, payload: payload, size1: size1, contentFormat: contentFormat, key: key, now: now)
        }
        guard var transfer = transfers[key] else {
            return .refuse(.requestEntityIncomplete, "Block1 \(block): no transfer in progress, start with block 0", size1: nil)
        }
        if block == transfer.lastBlock && block.offset + payload.count == transfer.body.count {
            // A retransmission of the block just taken (its acknowledgement was lost): same answer again.
            transfer.lastActivity = now
            transfers[key] = transfer
            return block.more ? .proceed(block) : .refuse(.requestEntityIncomplete, "Block1 \(block): transfer already complete", size1: nil)
        }
        guard block.offset == transfer.body.count else {
            transfers[key] = nil
            return .refuse(.requestEntityIncomplete, "Block1 \(block): expected the block at byte \(transfer.body.count), got byte \(block.offset)", size1: nil)
        }
        guard contentFormat == transfer.contentFormat else {
            transfers[key] = nil
            return .refuse(.requestEntityIncomplete, "Block1 \(block): Content-Format changed during the transfer", size1: nil)
        }
        guard transfer.body.count + payload.count <= maxBodyBytes else {
            transfers[key] = nil
            return tooLarge(block)
        }
        transfer.body.append(contentsOf: payload)
        guard block.more else {
            transfers[key] = nil
            return .complete(body: transfer.body, last: block)
        }
        transfer.lastBlock = block
        transfer.lastActivity = now
        transfers[key] = transfer
        return .proceed(block)
    }

    /// Forgets every transfer of a session (it closed).
    mutating func removeAll(of session: CoAPSessionHandle) {
        guard !transfers.isEmpty else { return }
        transfers = transfers.filter { $0.key.session != session }
    }

    private mutating func start(
        _ block: BlockOption, payload: UnsafeRawBufferPointer, size1: Int?, contentFormat: ContentFormat?,
        key: Key, now: UInt64
    ) -> Outcome {
        // Block 0 always starts over: a client that restarts a transfer replaces its earlier attempt.
        transfers[key] = nil
        if let size1, size1 > maxBodyBytes { return tooLarge(block) }
        guard payload.count <= maxBodyBytes else { return tooLarge(block) }
        guard block.more else { return .complete(body: Array(payload), last: block) }
        guard transfers.count < maxTransfers else {
            return .refuse(.serviceUnavailable, "too many block-wise transfers in progress, retry later", size1: nil)
        }
        var body: [UInt8] = []
        body.reserveCapacity(min(size1 ?? block.size * 4, maxBodyBytes))
        body.append(contentsOf: payload)
        transfers[key] = Transfer(body: body, contentFormat: contentFormat, lastBlock: block, lastActivity: now)
        return .proceed(block)
    }

    private func tooLarge(_ block: BlockOption) -> Outcome {
        .refuse(.requestEntityTooLarge, "request body over \(maxBodyBytes) bytes (Block1 \(block))", size1: maxBodyBytes)
    }

    /// Drops transfers idle past the timeout, at most once a second (the loop calls this per block).
    private mutating func sweepIfDue(now: UInt64) {
        guard !transfers.isEmpty, now &- lastSweep >= 1_000_000_000 else { return }
        lastSweep = now
        let timeout = idleTimeoutNanoseconds
        transfers = transfers.filter { now &- $0.value.lastActivity < timeout }
    }
}
