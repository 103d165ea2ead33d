/// Where the chain ends: how many records it holds and the hash of the last one. Stores keep it apart from
/// the records and move it in the same transaction as each append, so that records removed from the end
/// (which leave a shorter but otherwise perfect chain) are still detected.
public struct AuditHead: Sendable, Equatable, Codable {
    public var count: Int64
    /// The last record's hash; `AuditChain.genesisHash` while the chain is empty.
    public var hash: String

    public init(count: Int64, hash: String) {
        self.count = count
        self.hash = hash
    }

    /// The head of an empty chain.
    public static let empty = AuditHead(count: 0, hash: AuditChain.genesisHash)
}
