// swift-tools-version:6.1
import PackageDescription

// Layers (see docs/architecture.md); each target imports only targets on the lines below its own:
//
//   breakerfleet, breaker-sim        the binaries
//   FleetServer                      composition root: configuration, PKI on disk, the ServiceEnvironment
//                                    (clocks, randomness) every part is given, one ServiceGroup
//   AdminAPI, DeviceGateway          the two faces of the domain: HTTP for people, CoAP for devices
//   FleetServices                    orchestration over time: owns tasks, stores, clocks and randomness
//   FleetStoreSQLite, FleetJournal   persistence: the store protocols on SQLite, the ingest journal
//   BreakerSimulation                the simulated breaker (pure)
//   DeviceWire                       the device wire format: SenML, device bodies and answers, profile JSON
//   FleetPKI, CoAPTransport          X.509 for the fleet CA; libcoap (the only target that sees CLibCoap)
//   FleetDomain                      rules and types only: no I/O, no byte parsing, no clock, no entropy
//                                    (SHA-256 from swift-crypto for the audit chain)
//
// The transport knows CoAP but no breakers; the domain knows breakers but no transport, SQL or JSON bytes;
// stores implement the domain's store protocols; services run the domain's rules over time.
let package = Package(
    name: "BreakerFleet",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "breakerfleet", targets: ["breakerfleet"]),
        .executable(name: "breaker-sim", targets: ["breaker-sim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // Tests only: TestClock, to drive the services' timers by hand.
        .package(url: "https://github.com/pointfreeco/swift-clocks.git", from: "1.1.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibCoap",
            pkgConfig: "libcoap-3-openssl",
            providers: [.apt(["libcoap3-dev"])]
        ),
        .target(
            name: "CoAPTransport",
            dependencies: [
                "CLibCoap",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "HeapModule", package: "swift-collections"),
            ]
        ),
        .target(
            name: "FleetDomain",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                // SHA-256 only, for the audit chain (already built for the PKI and the admin API).
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "DeviceWire",
            dependencies: ["FleetDomain"]
        ),
        .target(
            name: "FleetServices",
            dependencies: [
                "FleetDomain", "DeviceWire",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "FleetPKI",
            dependencies: [
                "FleetDomain",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .target(
            name: "FleetJournal",
            dependencies: [
                "FleetDomain", "DeviceWire",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "FleetStoreSQLite",
            dependencies: [
                "FleetDomain", "DeviceWire",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "DeviceGateway",
            dependencies: [
                "FleetDomain", "DeviceWire",
                "FleetJournal",
                "CoAPTransport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "AdminAPIModel",
            dependencies: ["FleetDomain"],
            resources: [.embedInCode("OpenAPI/openapi.json")]
        ),
        .target(
            name: "AdminAPI",
            dependencies: [
                "FleetDomain", "AdminAPIModel", "DeviceWire", "FleetServices",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "FleetServer",
            dependencies: [
                "FleetDomain", "DeviceWire", "FleetServices", "FleetPKI", "FleetStoreSQLite", "FleetJournal", "DeviceGateway",
                "AdminAPI", "CoAPTransport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "breakerfleet",
            dependencies: [
                "FleetServer", "FleetServices", "FleetPKI", "FleetDomain", "AdminAPIModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "breaker-sim",
            dependencies: [
                "CoAPTransport", "FleetDomain", "FleetPKI", "BreakerSimulation", "AdminAPIModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .target(
            name: "FleetTesting",
            dependencies: ["FleetPKI", "FleetDomain"],
            path: "Tests/FleetTesting"
        ),
        .testTarget(
            name: "FleetDomainTests",
            dependencies: ["FleetDomain"]
        ),
        .testTarget(
            name: "DeviceWireTests",
            dependencies: ["DeviceWire", "FleetDomain"]
        ),
        .testTarget(
            name: "FleetServicesTests",
            dependencies: [
                "FleetServices", "FleetStoreSQLite", "FleetDomain", "DeviceWire",
                .product(name: "Clocks", package: "swift-clocks"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "BreakerSimulation",
            dependencies: ["FleetDomain", "DeviceWire"]
        ),
        .testTarget(
            name: "BreakerSimulationTests",
            dependencies: ["BreakerSimulation", "FleetDomain", "DeviceWire"]
        ),
        .testTarget(
            name: "FleetPKITests",
            dependencies: ["FleetPKI", "FleetTesting"]
        ),
        .testTarget(
            name: "FleetStoreSQLiteTests",
            dependencies: [
                "FleetStoreSQLite", "FleetDomain", "DeviceWire", "FleetServices", "FleetTesting",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "FleetJournalTests",
            dependencies: ["FleetJournal", "FleetDomain", "FleetStoreSQLite", "DeviceWire", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "CoAPTransportTests",
            dependencies: [
                "CoAPTransport", "FleetTesting", "FleetPKI",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .testTarget(
            name: "DeviceGatewayTests",
            dependencies: ["DeviceGateway", "DeviceWire", "FleetDomain"]
        ),
        .testTarget(
            name: "BreakerSimTests",
            dependencies: ["CoAPTransport", "FleetTesting", "FleetPKI"]
        ),
        .testTarget(
            name: "AdminAPIModelTests",
            dependencies: ["AdminAPIModel", "FleetDomain"]
        ),
        .testTarget(
            name: "IntegrationTests",
            // GRDB: to change a stopped server's database file as an intruder would (the audit tests).
            dependencies: ["FleetTesting", "FleetPKI", "FleetDomain", "FleetServices", "CoAPTransport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
