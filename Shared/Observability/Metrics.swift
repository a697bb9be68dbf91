import Synchronization

/// The process's Prometheus metrics: counters, gauges and histograms with labels, rendered in the
/// text exposition format (version 0.0.4) for `GET /metrics`.
///
/// Families are created once (at start-up or on first use) and are safe to update from any thread.
public final class MetricsRegistry: Sendable {
    private let families = Mutex<[String: any MetricFamily]>([:])
    private let collectors = Mutex<[@Sendable () async -> [Sample]]>([])

    public init() {}

    /// A counter family; asking again for the same name returns the same family.
    public func counter(_ name: String, help: String) -> Counter {
        family(name) { Counter(name: name, help: help) }
    }

    /// A gauge family set directly.
    public func gauge(_ name: String, help: String) -> Gauge {
        family(name) { Gauge(name: name, help: help) }
    }

    /// A histogram family with the given upper bounds (in the unit of the metric, seconds by convention).
    public func histogram(_ name: String, help: String, buckets: [Double] = Histogram.latencyBuckets) -> Histogram {
        family(name) { Histogram(name: name, help: help, buckets: buckets) }
    }

    /// Adds gauges computed at scrape time (for example queue depth read from the database).
    public func addCollector(_ collect: @escaping @Sendable () async -> [Sample]) {
        collectors.withLock { $0.append(collect) }
    }

    /// The whole registry in Prometheus text format.
    public func render() async -> String {
        var text = ""
        let snapshot = families.withLock { $0 }
        for name in snapshot.keys.sorted() { snapshot[name]!.render(into: &text) }
        var collected: [Sample] = []
        for collect in collectors.withLock({ $0 }) { collected += await collect() }
        var described = Set<String>()
        for sample in collected {
            if described.insert(sample.name).inserted {
                text += "# HELP \(sample.name) \(sample.help)\n# TYPE \(sample.name) gauge\n"
            }
            text += sample.name + Labels.render(sample.labels) + " " + Labels.number(sample.value) + "\n"
        }
        return text
    }

    private func family<F: MetricFamily>(_ name: String, make: () -> F) -> F {
        families.withLock { all in
            if let existing = all[name] {
                guard let typed = existing as? F else { preconditionFailure("metric \(name) registered twice with two types") }
                return typed
            }
            let created = make()
            all[name] = created
            return created
        }
    }
}

/// One gauge value produced by a collector at scrape time.
public struct Sample: Sendable {
    public let name: String
    public let help: String
    public let labels: [(String, String)]
    public let value: Double

    public init(name: String, help: String, labels: [(String, String)] = [], value: Double) {
        self.name = name
        self.help = help
        self.labels = labels
        self.value = value
    }
}

protocol MetricFamily: Sendable {
    func render(into text: inout String)
}

/// One value per label set, with the Prometheus text of a counter or a gauge.
final class LabeledValues: Sendable {
    let name: String
    let help: String
    let type: String
    private let values = Mutex<[[String]: (labels: [(String, String)], value: Double)]>([:])

    init(name: String, help: String, type: String) {
        self.name = name
        self.help = help
        self.type = type
    }

    func update(_ labels: [(String, String)], _ change: (inout Double) -> Void) {
        values.withLock { all in change(&all[Labels.key(labels), default: (labels, 0)].value) }
    }

    func value(_ labels: [(String, String)]) -> Double {
        values.withLock { $0[Labels.key(labels)]?.value ?? 0 }
    }

    func render(into text: inout String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        for (labels, value) in values.withLock({ Array($0.values) }).sorted(by: Labels.order) {
            text += name + Labels.render(labels) + " " + Labels.number(value) + "\n"
        }
    }
}

/// A monotonically increasing count per label set.
public final class Counter: MetricFamily {
    private let series: LabeledValues

    init(name: String, help: String) { series = LabeledValues(name: name, help: help, type: "counter") }

    public func increment(_ labels: [(String, String)] = [], by amount: Double = 1) {
        series.update(labels) { $0 += amount }
    }

    /// The current value for a label set (for tests and readiness reports).
    public func value(_ labels: [(String, String)] = []) -> Double { series.value(labels) }

    func render(into text: inout String) { series.render(into: &text) }
}

/// A value that goes up and down, set per label set.
public final class Gauge: MetricFamily {
    private let series: LabeledValues

    init(name: String, help: String) { series = LabeledValues(name: name, help: help, type: "gauge") }

    public func set(_ value: Double, _ labels: [(String, String)] = []) { series.update(labels) { $0 = value } }

    /// The current value for a label set.
    public func value(_ labels: [(String, String)] = []) -> Double { series.value(labels) }

    func render(into text: inout String) { series.render(into: &text) }
}

/// Observations counted into cumulative buckets per label set.
public final class Histogram: MetricFamily {
    /// Default latency buckets in seconds, 0.5 ms to 10 s.
    public static let latencyBuckets: [Double] = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]

    struct Series {
        var labels: [(String, String)]
        var counts: [UInt64]
        var sum: Double
        var count: UInt64
    }

    let name: String
    let help: String
    let buckets: [Double]
    private let series = Mutex<[[String]: Series]>([:])

    init(name: String, help: String, buckets: [Double]) {
        self.name = name
        self.help = help
        self.buckets = buckets.sorted()
    }

    public func observe(_ value: Double, _ labels: [(String, String)] = []) {
        let key = Labels.key(labels)
        let bucket = buckets.firstIndex { value <= $0 } ?? buckets.count
        series.withLock { all in
            var entry = all[key] ?? Series(labels: labels, counts: Array(repeating: 0, count: buckets.count + 1), sum: 0, count: 0)
            entry.counts[bucket] += 1
            entry.sum += value
            entry.count += 1
            all[key] = entry
        }
    }

    /// Count of observations for a label set (for tests).
    public func count(_ labels: [(String, String)] = []) -> UInt64 {
        series.withLock { $0[Labels.key(labels)]?.count ?? 0 }
    }

    func render(into text: inout String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) histogram\n"
        let all = series.withLock { Array($0.values) }.sorted { Labels.order(($0.labels, 0), ($1.labels, 0)) }
        for entry in all {
            var cumulative: UInt64 = 0
            for (index, bound) in buckets.enumerated() {
                cumulative += entry.counts[index]
                text += name + "_bucket" + Labels.render(entry.labels + [("le", Labels.number(bound))]) + " \(cumulative)\n"
            }
            text += name + "_bucket" + Labels.render(entry.labels + [("le", "+Inf")]) + " \(entry.count)\n"
            text += name + "_sum" + Labels.render(entry.labels) + " " + Labels.number(entry.sum) + "\n"
            text += name + "_count" + Labels.render(entry.labels) + " \(entry.count)\n"
        }
    }
}

enum Labels {
    /// A dictionary key for a label set.
    static func key(_ labels: [(String, String)]) -> [String] { labels.map { $0.0 + "\u{1}" + $0.1 } }

    static func render(_ labels: [(String, String)]) -> String {
        guard !labels.isEmpty else { return "" }
        let pairs = labels.map { name, value -> String in
            var escaped = ""
            for character in value {
                switch character {
                case "\\": escaped += "\\\\"
                case "\"": escaped += "\\\""
                case "\n": escaped += "\\n"
                default: escaped.append(character)
                }
            }
            return "\(name)=\"\(escaped)\""
        }
        return "{" + pairs.joined(separator: ",") + "}"
    }

    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    static func order(_ a: (labels: [(String, String)], value: Double), _ b: (labels: [(String, String)], value: Double)) -> Bool {
        render(a.labels) < render(b.labels)
    }
}
