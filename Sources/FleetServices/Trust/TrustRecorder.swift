import FleetDomain
import Foundation
import Logging
import ServiceLifecycle

/// Writes what the device plane decides about certificates — a binding made at a device's first contact
/// or by an EST renewal, and every refusal as a security event — to the store, off the CoAP loop thread
/// (handlers never wait for the store).
///
/// Bindings are never dropped. Security events are: a peer that retries a refused handshake in a loop
/// must not grow memory or the table without bound, so at most `eventBuffer` wait, and one event per
/// (serial, reason, certificate) is kept a minute (the Prometheus counter counts every refusal).
public final class TrustRecorder: Service, Sendable {
    enum Item: Sendable {
        case binding(BoundCertificate, Serial)
        case event(SecurityEvent)
    }

    private let store: any CertificateBindingStore & SecurityEventStore
    private let logger: Logger
    private let bindings: AsyncStream<Item>
    private let bindingInput: AsyncStream<Item>.Continuation
    private let events: AsyncStream<Item>
    private let eventInput: AsyncStream<Item>.Continuation

    public init(store: any CertificateBindingStore & SecurityEventStore, logger: Logger, eventBuffer: Int = 10_000) {
        self.store = store
        self.logger = logger
        (bindings, bindingInput) = AsyncStream.makeStream(of: Item.self)
        (events, eventInput) = AsyncStream.makeStream(of: Item.self, bufferingPolicy: .bufferingNewest(eventBuffer))
    }

    /// Any thread; returns at once.
    public func bind(_ certificate: BoundCertificate, to serial: Serial) {
        bindingInput.yield(.binding(certificate, serial))
    }

    /// Any thread; returns at once.
    public func record(_ event: SecurityEvent) {
        eventInput.yield(.event(event))
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.drain(self.bindings) }
                group.addTask { await self.drain(self.events) }
            }
        } onGracefulShutdown: {
            self.bindingInput.finish()
            self.eventInput.finish()
        }
    }

    private func drain(_ stream: AsyncStream<Item>) async {
        for await item in stream {
            do {
                switch item {
                case .binding(let certificate, let serial):
                    try await store.bind(certificate, to: serial)
                case .event(let event):
                    try await store.record([event])
                }
            } catch {
                logger.error("could not store a trust record", metadata: ["error": "\(error)"])
            }
        }
    }
}
