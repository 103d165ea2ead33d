/// The registration rules of spec/device-api.md, as a pure decision over what the fleet already knows.
public enum Registration {
    public static let defaultLifetime = 86_400
    public static let defaultHeartbeat = 120
    public static let lifetimeRange = 60...31_536_000

    public struct Decision: Sendable, Equatable {
        /// The state the device is in after this registration.
        public let state: DeviceState
        /// True the first time the device registers (answered 2.01), false after (2.04).
        public let isFirst: Bool
    }

    /// Decides a registration.
    /// - Parameters:
    ///   - known: the fleet's record of this serial, if any.
    ///   - origin: the CA that vouched for the device's certificate.
    ///   - isCertifiedModel: whether a model code is on the certified-model list.
    public static func decide(
        _ request: RegistrationRequest, serial: Serial, known: DirectoryEntry?, origin: CertificateOrigin,
        isCertifiedModel: (String) -> Bool
    ) -> Result<Decision, DeviceAPIError> {
        if let known {
            if known.state.isBarred {
                return .failure(.forbidden("device \(serial) is \(known.state.rawValue)"))
            }
            if known.model != request.model {
                return .failure(.invalid("model", "\(request.model) is not the model \(known.model) this device was provisioned as"))
            }
            switch known.state {
            case .provisioned:
                return .success(Decision(state: .active, isFirst: true))
            case .unassigned:
                return .success(Decision(state: .unassigned, isFirst: false))
            default:
                return .success(Decision(state: .active, isFirst: false))
            }
        }
        guard case .manufacturer = origin else {
            return .failure(.forbidden("device \(serial) is not provisioned in this fleet"))
        }
        guard isCertifiedModel(request.model) else {
            return .failure(.forbidden("model \(request.model) is not a certified model"))
        }
        return .success(Decision(state: .unassigned, isFirst: true))
    }
}
