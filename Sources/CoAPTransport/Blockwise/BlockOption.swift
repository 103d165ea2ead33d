/// The value of a Block1 or Block2 option (RFC 7959 §2.2): the block's number, whether more follow, and its
/// size exponent (`SZX`, size = 2^(SZX+4) bytes, 16…1024; 7 is BERT, which RFC 8323 allows only over TCP).
public struct BlockOption: Sendable, Hashable, CustomStringConvertible {
    public static let maxNumber: UInt32 = (1 << 20) - 1

    public let number: UInt32
    public let more: Bool
    public let sizeExponent: UInt8

    public init(number: UInt32, more: Bool, sizeExponent: UInt8) {
        precondition(number <= Self.maxNumber && sizeExponent <= 7, "block option out of range")
        self.number = number
        self.more = more
        self.sizeExponent = sizeExponent
    }

    /// Decodes the option's unsigned value; nil for a value longer than the option allows (3 bytes).
    public init?(value: UInt64) {
        guard value <= 0xFF_FFFF else { return nil }
        number = UInt32(value >> 4)
        more = (value >> 3) & 1 == 1
        sizeExponent = UInt8(value & 7)
    }

    /// The option's unsigned value.
    public var value: UInt32 { number << 4 | (more ? 8 : 0) | UInt32(sizeExponent) }

    /// Bytes in a block of this size; BERT (7) is not a size on UDP.
    public var size: Int { 16 << Int(min(sizeExponent, 6)) }

    /// Where this block starts in the body.
    public var offset: Int { Int(number) * size }

    public var isBERT: Bool { sizeExponent == 7 }

    public var description: String { "\(number)/\(more ? 1 : 0)/\(size)" }
}
