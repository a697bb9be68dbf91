import Foundation
import Observability

/// motcua-bench: the queue's benchmark, and the consumer process its destruction tests kill.
/// Connects with libpq's `PG*` variables as a superuser, prepares that database (bootstrap, queue
/// migrations, bench tables), then publishes as role `intake` and consumes as role `reporting`.
let usage = """
    usage: motcua-bench queue [--jobs 20000] [--publishers 8] [--publish-batch 1] [--mode transactional|leased]
                              [--consumers 2] [--batch 32] [--lease-ms 30000] [--idle-snapshot false|true]
           motcua-bench latency [--rate 1000] [--seconds 10] [--publishers 4] [--mode transactional|leased] [--batch 32]
           motcua-bench consume --consumer NAME --topic T --expect N [--mode transactional|leased]
                                [--batch 16] [--lease-ms 2000] [--poll-ms 500]
    Prints FIGURE <name> <value> lines (queue, latency) or JSON log lines on stderr (consume).
    """

/// Parses the command line into the subcommand to run.
func command(_ arguments: [String]) throws -> (BenchDatabase, Logger) async throws -> Void {
    guard let name = arguments.first else { throw UsageError("no subcommand") }
    var options = try Options(arguments.dropFirst())
    func settings(name: String, topic: String, batch: Int, leaseMs: Int, pollMs: Int) throws -> BenchConsumerSettings {
        BenchConsumerSettings(
            name: name, topic: topic, mode: try options.take("mode", default: .transactional),
            batchSize: try options.take("batch", default: batch),
            lease: .milliseconds(try options.take("lease-ms", default: leaseMs)),
            pollInterval: .milliseconds(try options.take("poll-ms", default: pollMs)))
    }
    let run: (BenchDatabase, Logger) async throws -> Void
    switch name {
    case "queue":
        let bench = ThroughputBench(
            jobs: try options.take("jobs", default: 20_000), publishers: try options.take("publishers", default: 8),
            publishBatch: try options.take("publish-batch", default: 1),
            instances: try options.take("consumers", default: 2),
            idleSnapshot: try options.take("idle-snapshot", default: false),
            settings: try settings(name: "reporting.bench", topic: "bench.queue", batch: 32, leaseMs: 30_000, pollMs: 1000))
        run = bench.run
    case "latency":
        let bench = LatencyBench(
            rate: try options.take("rate", default: 1000), seconds: try options.take("seconds", default: 10),
            publishers: try options.take("publishers", default: 4),
            settings: try settings(name: "reporting.bench", topic: "bench.latency", batch: 32, leaseMs: 30_000, pollMs: 1000))
        run = bench.run
    case "consume":
        let consume = ConsumeCommand(
            expect: try options.take("expect"),
            settings: try settings(
                name: try options.take("consumer"), topic: try options.take("topic"), batch: 16, leaseMs: 2000,
                pollMs: 500))
        run = consume.run
    default:
        throw UsageError("unknown subcommand \(name)")
    }
    try options.finish()
    return run
}

let logger = Logger(service: "motcua-bench", level: .info)
do {
    let run = try command(Array(CommandLine.arguments.dropFirst()))
    let database = BenchDatabase()
    try await database.prepare()
    try await run(database, logger)
} catch let error as UsageError {
    FileHandle.standardError.write(Data("motcua-bench: \(error)\n\(usage)\n".utf8))
    exit(2)
} catch {
    FileHandle.standardError.write(Data("motcua-bench: \(error)\n".utf8))
    exit(1)
}
