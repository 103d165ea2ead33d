/// The results of commands already executed, so a command id executes at most once and a repeated
/// delivery re-reports the first result. Bounded: the oldest ids are forgotten past `capacity`, far more
/// than a server keeps pending for one device.
struct CommandLedger: Sendable, Equatable {
    static let capacity = 512

    private var results: [String: CommandResult] = [:]
    private var order: [String] = []

    subscript(id: String) -> CommandResult? { results[id] }

    mutating func record(_ result: CommandResult, for id: String) {
        guard results.updateValue(result, forKey: id) == nil else { return }
        order.append(id)
        if order.count > Self.capacity {
            results[order.removeFirst()] = nil
        }
    }
}
