import Glibc
import Synchronization

/// Which thread runs a loop: set by the loop thread when it starts, cleared when it ends. State confined to
/// the loop (`LoopConfined`) asks it who may touch that state.
public final class LoopOwner: Sendable {
    /// The loop thread's pthread id, 0 while no loop runs.
    private let thread = Atomic<UInt>(0)

    public init() {}

    /// Called by the loop thread as it starts.
    func claim() { thread.store(UInt(bitPattern: Int(bitPattern: pthread_self())), ordering: .releasing) }

    /// Called by the loop thread as it ends.
    func release() { thread.store(0, ordering: .releasing) }

    /// True on the loop thread, and on any thread while no loop runs (set-up before start, reads after stop).
    public var mayTouchConfinedState: Bool {
        let owner = thread.load(ordering: .acquiring)
        return owner == 0 || owner == UInt(bitPattern: Int(bitPattern: pthread_self()))
    }
}

/// A value that only the loop thread may touch once the loop runs (before it starts, set-up may fill it
/// from another thread). Every access is checked in debug builds; release builds pay nothing.
///
/// `@unchecked Sendable`: the confinement, checked by `LoopOwner`, is what makes sharing the reference safe.
public final class LoopConfined<Value>: @unchecked Sendable {
    private var storage: Value
    /// Set once, before the loop starts (see `DeviceGateway.install(on:)`); nil: not bound to a loop yet.
    public var owner: LoopOwner?

    public init(_ value: Value) {
        storage = value
    }

    public var value: Value {
        _read {
            assert(owner?.mayTouchConfinedState ?? true, "loop-confined state touched off the loop thread")
            yield storage
        }
        _modify {
            assert(owner?.mayTouchConfinedState ?? true, "loop-confined state touched off the loop thread")
            yield &storage
        }
    }
}
