// swift-tools-version:6.0
import PackageDescription

/// MotCua: five services over one PostgreSQL, coordinating only through queue tables.
/// Layout and rules: ARCHITECTURE.md §1.
let services = ["Intake", "Digitization", "Payment", "Reporting", "Communication"]
/// What a service's library needs beyond the toolkit.
let serviceDependencies: [String: [Target.Dependency]] = ["Intake": ["QRCode"]]

let package = Package(
    name: "MotCua",
    platforms: [.macOS(.v15)],
    products: services.map { .executable(name: "motcua-\($0.lowercased())", targets: ["motcua-\($0.lowercased())"]) }
        + [.executable(name: "motcua-bench", targets: ["motcua-bench"])],
    targets: [
        // C libraries from Debian (libpq-dev, libmicrohttpd-dev, libsodium-dev).
        .systemLibrary(name: "CLibPQ", path: "Shared/CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(
            name: "CMicroHTTPD", path: "Shared/CMicroHTTPD", pkgConfig: "libmicrohttpd",
            providers: [.apt(["libmicrohttpd-dev"])]),
        .systemLibrary(
            name: "CSodium", path: "Shared/CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(
            name: "CQREncode", path: "Shared/CQREncode", pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"])]),

        // Shared libraries. The queue (Shared/Queue) and the event contract (Shared/Events) join here.
        .target(name: "Observability", path: "Shared/Observability"),
        .target(name: "Domain", path: "Shared/Domain"),
        .target(name: "Events", dependencies: ["Domain"], path: "Shared/Events"),
        .target(
            name: "Postgres", dependencies: ["CLibPQ", "CSodium", "Domain", "Observability"], path: "Shared/Postgres"),
        .target(name: "HTTP", dependencies: ["CMicroHTTPD", "Observability"], path: "Shared/HTTP"),
        .target(name: "HTML", dependencies: ["HTTP"], path: "Shared/HTML"),
        // QR codes for printed slips: its own target, so only a service that prints them links libqrencode.
        .target(name: "QRCode", dependencies: ["CQREncode"], path: "Shared/QRCode"),
        .target(
            name: "ServiceKit",
            dependencies: ["CSodium", "Postgres", "Queue", "HTTP", "HTML", "Domain", "Events", "Observability"],
            path: "Shared/ServiceKit"),
        .target(name: "Queue", dependencies: ["Postgres", "Observability"], path: "Shared/Queue"),

        .target(name: "PostgresTestSupport", dependencies: ["Postgres"], path: "Tests/PostgresTestSupport"),
        .target(name: "HTTPTestSupport", path: "Tests/HTTPTestSupport"),
        .target(name: "ProcessTestSupport", path: "Tests/ProcessTestSupport"),
        .target(name: "AsyncTestSupport", path: "Tests/AsyncTestSupport"),
        .target(
            name: "ServiceTestSupport",
            dependencies: ["ServiceKit", "Queue", "HTTP", "Postgres", "PostgresTestSupport", "AsyncTestSupport"],
            path: "Tests/ServiceTestSupport"),
        // Drives Debian's chromium through chromedriver (WebDriver over HTTP + JSON).
        .target(name: "BrowserTestSupport", dependencies: ["ProcessTestSupport"], path: "Tests/BrowserTestSupport"),
        // The queue's benchmark and the long-running consumer the destruction tests kill.
        .executableTarget(
            name: "motcua-bench", dependencies: ["Queue", "Postgres", "Observability"],
            path: "deploy/bench/motcua-bench"),
        .testTarget(name: "ObservabilityTests", dependencies: ["Observability"]),
        .testTarget(name: "DomainTests", dependencies: ["Domain"]),
        .testTarget(name: "EventsTests", dependencies: ["Events"]),
        .testTarget(
            name: "IntakeTests",
            dependencies: [
                "Intake", "ServiceKit", "ServiceTestSupport", "AsyncTestSupport", "Events", "Domain", "HTTP",
                "Postgres",
                "PostgresTestSupport",
            ]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "PostgresTestSupport", "AsyncTestSupport"]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "HTTPTestSupport", "AsyncTestSupport"]),
        .testTarget(name: "HTMLTests", dependencies: ["HTML", "HTTP"]),
        // Debian's nginx with deploy/nginx's configuration in front of in-process servers.
        .testTarget(
            name: "FrontDoorTests",
            dependencies: [
                "HTTP", "Observability", "HTTPTestSupport", "ProcessTestSupport", "Intake", "ServiceKit",
                "ServiceTestSupport",
            ]),
        .testTarget(
            name: "BrowserTests",
            dependencies: [
                "HTML", "HTTP", "Observability", "BrowserTestSupport", "HTTPTestSupport", "Intake", "ServiceKit",
                "ServiceTestSupport", "ProcessTestSupport",
            ]),
        .testTarget(name: "QueueTests", dependencies: ["Queue", "PostgresTestSupport", "AsyncTestSupport"]),
        .testTarget(
            name: "QueueProcessTests",
            dependencies: ["Queue", "PostgresTestSupport", "ProcessTestSupport", "AsyncTestSupport"]),
        .testTarget(
            name: "ServiceKitTests",
            dependencies: [
                "ServiceKit", "Events", "HTML", "Queue", "PostgresTestSupport", "HTTPTestSupport", "ProcessTestSupport",
                "ServiceTestSupport", "AsyncTestSupport",
            ] + services.map { .byName(name: $0) }),
    ]
        + services.flatMap { name -> [Target] in
            [
                .target(
                    name: name,
                    dependencies: [
                        "ServiceKit", "Domain", "Events", "HTTP", "HTML", "Postgres", "Queue", "Observability",
                    ]
                        + (serviceDependencies[name] ?? []),
                    path: "Services/\(name)/Library"),
                .executableTarget(
                    name: "motcua-\(name.lowercased())", dependencies: [.byName(name: name)],
                    path: "Services/\(name)/Executable"),
            ]
        },
    swiftLanguageModes: [.v6]
)
