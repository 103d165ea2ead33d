import FleetDomain
import Foundation
import Logging
import Metrics
import Synchronization

/// Moves journaled records from the loop thread into the store, in batches, on another thread.
///
/// The loop thread only appends to an in-memory queue (a mutex and an array) after the journal write;
/// a consumer task takes everything queued and applies it in one store transaction together with the
/// journal position it reaches (the store groups rows by device: each device dirties its own index pages).
///
/// If the store fails a batch, its records are applied one at a time: a record the store refuses for its
/// content (`StoreError.recordRefused`) is quarantined with the error (a dead-letter table, listed by
/// `breakerfleet ingest quarantine` and counted in `/metrics`) and ingest goes on; a store that cannot write
/// at all is retried with backoff, since the records are safe in the journal meanwhile and replay is
/// idempotent.
///
/// Before taking a batch that is not full the consumer lets records gather for `batchWindow`: a commit
/// writes every page it dirtied to the WAL, and with 64 busy devices a commit dirties ~100 pages however few
/// records it holds (each device's index leaf, its latest values), so small batches cost several times more
/// per record. 100 ms instead of 20 ms cut WAL writes per record by ~40 % under the ingest bench.
/// Acknowledgements do not wait for this (the journal already holds the records); only the store's view
/// lags by the window.
public final class IngestPipeline: Sendable {
    public let maxBatch: Int
    public let batchWindow: Duration
    /// Past this many queued records the gateway sheds load (5.03) instead of growing memory.
    public let highWater: Int
    private let store: any IngestStore
    private let replayer: JournalReplayer
    private let logger: Logger
    private let state = Mutex(State())
    /// The queue's length, kept apart from `state` so the gateway's overload check on every request reads
    /// one atomic instead of taking the mutex the consumer holds while it takes a batch.
    private let queued = Atomic<Int>(0)
    private let quarantined = Counter(label: "breakerfleet_ingest_quarantined_total")
    private let doorbell: AsyncStream<Void>
    private let ring: AsyncStream<Void>.Continuation

    private struct State {
        var queue: [JournaledRecord] = []
        /// Segments before this one are already deleted; a batch only looks at the folder when it moves on.
        var cleanedBefore: UInt64 = 0
        var submitted = 0
        var applied = 0
        var waiters: [(target: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    public init(store: any IngestStore, replayer: JournalReplayer, logger: Logger, maxBatch: Int = 4096,
                batchWindow: Duration = .milliseconds(100), highWater: Int = 200_000) {
        self.store = store
        self.replayer = replayer
        self.logger = logger
        self.maxBatch = maxBatch
        self.batchWindow = batchWindow
        self.highWater = highWater
        (doorbell, ring) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues a record that is already in the journal. Cheap; called on the loop thread.
    public func submit(_ record: JournaledRecord) {
        let wasEmpty = state.withLock { state in
            state.queue.append(record)
            state.submitted += 1
            // Inside the lock, so the consumer never subtracts a record before it was counted.
            queued.add(1, ordering: .relaxed)
            return state.queue.count == 1
        }
        if wasEmpty { ring.yield() }
    }

    /// Records waiting for the store.
    public var backlog: Int { queued.load(ordering: .relaxed) }

    public var isOverloaded: Bool { backlog >= highWater }

    /// Applies batches until `stop()`; then drains what is left and returns.
    public func run() async {
        for await _ in doorbell {
            await drain(gathering: true)
        }
        await drain(gathering: false)
    }

    /// Ends `run()` once everything submitted so far is applied.
    public func stop() { ring.finish() }

    /// Waits until every record submitted before this call is in the store.
    public func flush() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.applied >= state.submitted { return true }
                state.waiters.append((state.submitted, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private func drain(gathering: Bool) async {
        while true {
            if gathering {
                // An empty queue rings the doorbell again with its next record.
                if backlog == 0 { return }
                if backlog < maxBatch && batchWindow > .zero { try? await Task.sleep(for: batchWindow) }
            }
            let batch = state.withLock { state -> [JournaledRecord] in
                let count = min(maxBatch, state.queue.count)
                defer { state.queue.removeFirst(count) }
                return Array(state.queue.prefix(count))
            }
            guard let last = batch.last else { return }
            queued.subtract(batch.count, ordering: .relaxed)
            await apply(batch, through: last.position)
            let released = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.applied += batch.count
                let ready = state.waiters.filter { $0.target <= state.applied }.map(\.continuation)
                state.waiters.removeAll { $0.target <= state.applied }
                return ready
            }
            released.forEach { $0.resume() }
        }
    }

    private func apply(_ batch: [JournaledRecord], through position: JournalPosition) async {
        do {
            try await store.apply(batch, through: position)
        } catch {
            logger.error("ingest: store refused a batch, applying its records one by one",
                         metadata: ["error": "\(error)", "records": "\(batch.count)"])
            for record in batch { await applyAlone(record) }
        }
        let reachedNewSegment = state.withLock { state in
            defer { state.cleanedBefore = max(state.cleanedBefore, position.segment) }
            return position.segment > state.cleanedBefore
        }
        if reachedNewSegment { replayer.removeSegments(before: position) }
    }

    /// One record until it is in the store or quarantined; retried with backoff while the store cannot write.
    private func applyAlone(_ record: JournaledRecord) async {
        var delay: UInt64 = 50_000_000
        while true {
            do {
                try await store.apply([record], through: record.position)
                return
            } catch let error as StoreError where error.code == .recordRefused {
                do {
                    try await store.quarantine(record, error: error.message, at: Date())
                    quarantined.increment()
                    logger.error("ingest: quarantined a record the store refuses", metadata: [
                        "serial": "\(record.record.serial)", "position": "\(record.position)", "error": "\(error.message)"])
                    return
                } catch {
                    logger.error("ingest: cannot quarantine a refused record, retrying", metadata: ["error": "\(error)"])
                }
            } catch {
                logger.error("ingest: store cannot write, retrying", metadata: ["error": "\(error)", "position": "\(record.position)"])
            }
            try? await Task.sleep(nanoseconds: delay)
            delay = min(delay * 2, 5_000_000_000)
        }
    }
}
