import FleetDomain

/// The labels of RFC 8428 §4.1–4.2 (`bver` … `ut`), matched on the key's bytes: no string is made.
enum SenMLLabel: UInt8 {
    case bn, bt, bu, bv, bs, bver, n, u, v, vs, vb, vd, s, t, ut

    var bit: UInt16 { 1 << rawValue }

    /// The value labels: a record has at most one of them, and one of them or `s` (RFC 8428 §4.2).
    static let valueLabels: [SenMLLabel] = [.v, .vs, .vb, .vd]
    static var valueBits: UInt16 { v.bit | vs.bit | vb.bit | vd.bit }

    init?(_ key: UnsafeRawBufferPointer) {
        let label: SenMLLabel?
        switch key.count {
        case 1:
            switch key[0] {
            case UInt8(ascii: "n"): label = .n
            case UInt8(ascii: "u"): label = .u
            case UInt8(ascii: "v"): label = .v
            case UInt8(ascii: "s"): label = .s
            case UInt8(ascii: "t"): label = .t
            default: label = nil
            }
        case 2:
            switch (key[0], key[1]) {
            case (UInt8(ascii: "b"), UInt8(ascii: "n")): label = .bn
            case (UInt8(ascii: "b"), UInt8(ascii: "t")): label = .bt
            case (UInt8(ascii: "b"), UInt8(ascii: "u")): label = .bu
            case (UInt8(ascii: "b"), UInt8(ascii: "v")): label = .bv
            case (UInt8(ascii: "b"), UInt8(ascii: "s")): label = .bs
            case (UInt8(ascii: "v"), UInt8(ascii: "s")): label = .vs
            case (UInt8(ascii: "v"), UInt8(ascii: "b")): label = .vb
            case (UInt8(ascii: "v"), UInt8(ascii: "d")): label = .vd
            case (UInt8(ascii: "u"), UInt8(ascii: "t")): label = .ut
            default: label = nil
            }
        case 4:
            label = key[0] == UInt8(ascii: "b") && key[1] == UInt8(ascii: "v") && key[2] == UInt8(ascii: "e")
                && key[3] == UInt8(ascii: "r") ? .bver : nil
        default:
            label = nil
        }
        guard let label else { return nil }
        self = label
    }
}

/// One record as read, before resolution: which labels it had and their values.
struct SenMLRecord {
    var labels: UInt16 = 0
    var baseName: JSONString?
    var baseUnit: JSONString?
    var name: JSONString?
    var unit: JSONString?
    var stringValue: JSONString?
    var dataValue: JSONString?
    var baseTime = 0.0, baseValue = 0.0, baseSum = 0.0, baseVersion = 0.0
    var value = 0.0, sum = 0.0, time = 0.0, updateTime = 0.0
    var boolValue = false

    @inline(__always) func has(_ label: SenMLLabel) -> Bool { labels & label.bit != 0 }
}
