// swift-tools-version: 6.2
import PackageDescription

/// Every target is built the same strict way: see docs/style.md.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "Lotse",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lotse", targets: ["lotse"]),
        .library(name: "LotseAPI", targets: ["LotseAPI"]),
        .library(name: "LotseCrypto", targets: ["LotseCrypto"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
    ],
    targets: [
        .target(
            name: "LotseAPI",
            swiftSettings: strictSettings
        ),
        .target(
            name: "LotseCrypto",
            dependencies: [
                "LotseAPI",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // SQLite's C functions, as sqlite-nio builds them into the process (Sources/CLotseSQLite/include).
        .target(name: "CLotseSQLite"),
        .target(
            name: "LotseServer",
            dependencies: [
                "LotseAPI",
                "LotseCrypto",
                "CLotseSQLite",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "lotse",
            dependencies: [
                "LotseServer",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // bench/ceiling.sh's bare Vapor: one string route, the framework's own ceiling (#21).
        .executableTarget(
            name: "bench-vapor",
            dependencies: [.product(name: "Vapor", package: "vapor")],
            path: "bench/vapor",
            swiftSettings: strictSettings
        ),
        // bench/messaging.sh's compiled load generator: Lotse's WebSocket chat, MQTT and a trivial echo (#21).
        .executableTarget(
            name: "bench-load",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            path: "bench/load",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LotseAPITests",
            dependencies: ["LotseAPI"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LotseCryptoTests",
            dependencies: [
                "LotseCrypto",
                "LotseAPI",
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LotseServerTests",
            dependencies: [
                "LotseServer",
                "LotseAPI",
                "LotseCrypto",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
