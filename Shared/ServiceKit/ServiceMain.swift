import Dispatch
import Glibc
import HTTP
import Observability
import Postgres
import Queue

/// The body of every service executable's `main.swift`: parses the subcommand and runs it.
///
/// `serve` runs HTTP until SIGTERM or SIGINT, then stops accepting, drains in-flight requests
/// and exits 0 (ARCHITECTURE §2: within 10 s). `migrate` applies the schema's migrations under
/// the service's own role. Exit codes: 0 done, 1 failed, 2 bad usage or configuration.
public enum ServiceMain {
    public static func run<S: Service>(_ service: S, arguments: [String] = CommandLine.arguments) async -> Never {
        let environment = ProcessEnvironment.all()
        let command = arguments.dropFirst().first ?? "--help"
        switch command {
        case "serve":
            exit(await serve(service, environment: environment))
        case "migrate":
            exit(await migrate(service, environment: environment))
        case "queue":
            exit(await QueueCommand.run(S.self, arguments: Array(arguments.dropFirst(2)), environment: environment))
        case "keys":
            exit(await KeysCommand.run(arguments: Array(arguments.dropFirst(2))))
        case "audit":
            exit(
                await AuditCommand.run(
                    service: S.name, arguments: Array(arguments.dropFirst(2)), environment: environment))
        case "--help", "-h", "help":
            print(help(for: service))
            exit(0)
        default:
            if let own = service.commands.first(where: { $0.name == command }) {
                exit(await own.run(Array(arguments.dropFirst(2)), environment))
            }
            writeError("motcua-\(S.name): unknown command '\(command)'\n\n\(help(for: service))\n")
            exit(2)
        }
    }

    static func help<S: Service>(for service: S) -> String {
        let own = service.commands.map { "\($0.name) \($0.usage)\n  " }.joined()
        return """
        motcua-\(S.name) — \(S.summary)

        Usage: motcua-\(S.name) <command>
          serve     run the HTTP API (and queue consumers) until SIGTERM or SIGINT
          migrate   apply the \(S.name) schema's migrations as role \(S.name), then exit
          queue stats                      deliveries per consumer and topic: due, waiting, dead, oldest
          queue dead [--consumer NAME]     the dead deliveries with their last error
          queue redrive (--all | ID…) [--consumer NAME]   deliver dead deliveries again
          queue migrate                    apply the queue schema (mq) and the topic rights; needs a superuser
          queue maintain                   the event log's monthly partitions; as mq_maintainer or a superuser
          keys generate --out DIR          write a staff-token key pair (token-signing.key, .pub) into DIR
          audit verify [--schema NAME]     check the audit trail's hash chains; exit 1 if one is broken
          \(own)--help    show this text

        Environment:
          DATABASE_URL          postgresql://\(S.name):…@host:port/motcua (or libpq's PG* variables)
          MOTCUA_PORT           HTTP port (default \(S.defaultPort); 0 picks a free one)
          MOTCUA_BIND           address to listen on (default 127.0.0.1)
          MOTCUA_WARD_CODE      the ward's agency code, e.g. H01.40.23 (required by serve)
          MOTCUA_LOG_LEVEL      debug | info | warning | error (default info)
          MOTCUA_DB_POOL_SIZE   database connections (default 10)
          MOTCUA_HTTP_THREADS   HTTP worker threads (default 4)
          MOTCUA_PUBLIC_RATE_LIMIT       requests per minute per client on citizens' endpoints (default 60; 0 off)
          MOTCUA_TOKEN_PUBLIC_KEY_FILE   intake's public key for staff tokens (required by serve)
          MOTCUA_TOKEN_SECRET_KEY_FILE   the secret key that signs them (intake only)
        """
    }

    static func serve<S: Service>(_ service: S, environment: [String: String]) async -> Int32 {
        let configuration: ServiceConfiguration
        let tokens: TokenVerifier
        do {
            configuration = try ServiceConfiguration.load(
                from: environment, service: S.name, defaultPort: S.defaultPort)
            tokens = try TokenVerifier.fromEnvironment(environment)
        } catch {
            writeError("motcua-\(S.name): configuration error: \(error)\n")
            return 2
        }
        let logger = Logger(service: S.name, level: configuration.logLevel)
        let metrics = MetricsRegistry()
        let pool = PostgresPool(configuration: configuration.database, maxConnections: configuration.poolSize)
        let context = ServiceContext(
            configuration: configuration, pool: pool, logger: logger, metrics: metrics, tokens: tokens)
        let migrator = Migrator(schema: S.name, migrations: service.migrations)
        let consumers = service.consumers(context: context)
        let server = HTTPServer(
            configuration: HTTPServer.Configuration(
                host: configuration.bindAddress, port: Int(configuration.port),
                threadPoolSize: configuration.httpThreads, trustedProxies: configuration.trustedProxies),
            responder: service.responder(context: context), logger: logger, metrics: metrics,
            readiness: { await Readiness.check(pool: pool, migrator: migrator, consumers: consumers) })
        let signals = SignalWatcher([SIGTERM, SIGINT])
        do {
            try server.start()
        } catch {
            logger.error(
                "cannot start the HTTP server", ["error": .string("\(error)"), "port": .int(Int(configuration.port))])
            return 1
        }
        logger.info(
            "listening",
            [
                "address": .string(configuration.bindAddress), "port": .int(server.port),
                "ward": .string(configuration.wardCode),
            ])

        // A consumer that cannot start (database down) tries again until the service stops.
        let running = consumers.map { consumer in
            Task {
                while !Task.isCancelled {
                    do {
                        return try await consumer.run(pool: pool, metrics: metrics, logger: logger)
                    } catch {
                        logger.error(
                            "consumer could not start; retrying",
                            ["consumer": .string(consumer.name ?? S.name), "error": .string("\(error)")])
                        try? await Task.sleep(for: .seconds(2))
                    }
                }
            }
        }

        let purge = Task { await IdempotencyStore.purgeExpired(context) }

        let signal = await signals.next()
        purge.cancel()
        logger.info("stopping", ["signal": .int(Int(signal))])
        // HTTP drains its requests while the consumers finish their batches in flight.
        for consumer in consumers { consumer.stop() }
        for task in running { task.cancel() }
        await server.shutdown(timeout: .seconds(8))
        for task in running { await task.value }
        await pool.close()
        logger.info("exiting", ["code": 0])
        return 0
    }

    static func migrate<S: Service>(_ service: S, environment: [String: String]) async -> Int32 {
        let configuration: ServiceConfiguration
        do {
            configuration = try ServiceConfiguration.load(
                from: environment, service: S.name, defaultPort: S.defaultPort, requireWard: false)
        } catch {
            writeError("motcua-\(S.name): configuration error: \(error)\n")
            return 2
        }
        let logger = Logger(service: S.name, level: configuration.logLevel)
        let pool = PostgresPool(configuration: configuration.database, maxConnections: 1)
        defer { Task { await pool.close() } }
        do {
            let applied = try await Migrator(schema: S.name, migrations: service.migrations).migrate(pool)
            logger.info(
                applied.isEmpty ? "schema is up to date" : "migrations applied",
                ["schema": .string(S.name), "applied": .string(applied.map(String.init).joined(separator: ","))])
            return 0
        } catch {
            logger.error("migration failed", ["schema": .string(S.name), "error": .string("\(error)")])
            return 1
        }
    }

    static func writeError(_ text: String) {
        var bytes = Array(text.utf8)
        _ = write(2, &bytes, bytes.count)
    }
}
