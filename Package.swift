// swift-tools-version:6.1
import PackageDescription

// Layers (see docs/architecture.md): the transport knows CoAP but no breakers, the domain knows
// breakers but no I/O, stores implement the domain's protocols, and FleetServer wires them together.
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
                "FleetDomain",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "FleetStoreSQLite",
            dependencies: [
                "FleetDomain",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "DeviceGateway",
            dependencies: [
                "FleetDomain",
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
                "FleetDomain", "AdminAPIModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "FleetServer",
            dependencies: [
                "FleetDomain", "FleetPKI", "FleetStoreSQLite", "FleetJournal", "DeviceGateway", "AdminAPI", "CoAPTransport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "breakerfleet",
            dependencies: [
                "FleetServer", "FleetPKI", "FleetDomain", "AdminAPIModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "breaker-sim",
            dependencies: [
                "CoAPTransport", "FleetDomain", "FleetPKI", "BreakerSimulation", "AdminAPIModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
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
        .target(
            name: "BreakerSimulation",
            dependencies: ["FleetDomain"]
        ),
        .testTarget(
            name: "BreakerSimulationTests",
            dependencies: ["BreakerSimulation", "FleetDomain"]
        ),
        .testTarget(
            name: "FleetPKITests",
            dependencies: ["FleetPKI", "FleetTesting"]
        ),
        .testTarget(
            name: "FleetStoreSQLiteTests",
            dependencies: ["FleetStoreSQLite", "FleetDomain", "FleetTesting", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "FleetJournalTests",
            dependencies: ["FleetJournal", "FleetDomain", "FleetStoreSQLite"]
        ),
        .testTarget(
            name: "CoAPTransportTests",
            dependencies: [
                "CoAPTransport", "FleetTesting",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
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
            dependencies: ["FleetTesting", "FleetPKI", "FleetDomain", "CoAPTransport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
