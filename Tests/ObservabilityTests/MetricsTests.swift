import Observability
import Testing

@Suite struct MetricsTests {
    @Test func histogramBucketsAreCumulativeWithSumAndCount() async {
        let registry = MetricsRegistry()
        let histogram = registry.histogram("handler_seconds", help: "Handler time.", buckets: [0.01, 0.1, 1])
        for value in [0.005, 0.05, 0.05, 0.5, 5] { histogram.observe(value, [("consumer", "reporting")]) }
        let text = await registry.render()
        #expect(text.contains("# TYPE handler_seconds histogram"))
        #expect(text.contains(#"handler_seconds_bucket{consumer="reporting",le="0.01"} 1"#))
        #expect(text.contains(#"handler_seconds_bucket{consumer="reporting",le="0.1"} 3"#))
        #expect(text.contains(#"handler_seconds_bucket{consumer="reporting",le="1"} 4"#))
        #expect(text.contains(#"handler_seconds_bucket{consumer="reporting",le="+Inf"} 5"#))
        #expect(text.contains(#"handler_seconds_sum{consumer="reporting"} 5.605"#))
        #expect(text.contains(#"handler_seconds_count{consumer="reporting"} 5"#))
    }

    @Test func countersAddPerLabelSetAndEscapeLabelValues() async {
        let registry = MetricsRegistry()
        let counter = registry.counter("handled_total", help: "Handled.")
        counter.increment([("topic", "dossier.received")])
        counter.increment([("topic", "dossier.received")], by: 2)
        counter.increment([("topic", "a\"b\\c")])
        #expect(counter.value([("topic", "dossier.received")]) == 3)
        #expect(registry.counter("handled_total", help: "Handled.") === counter)
        let text = await registry.render()
        #expect(text.contains(#"handled_total{topic="dossier.received"} 3"#))
        #expect(text.contains(#"handled_total{topic="a\"b\\c"} 1"#))
    }

    @Test func collectorsAddGaugesComputedAtScrapeTime() async {
        let registry = MetricsRegistry()
        registry.gauge("up", help: "Up.").set(1)
        registry.addCollector { [Sample(name: "queue_depth", help: "Pending deliveries.", labels: [("consumer", "intake")], value: 42)] }
        let text = await registry.render()
        #expect(text.contains("up 1\n"))
        #expect(text.contains("# TYPE queue_depth gauge\nqueue_depth{consumer=\"intake\"} 42\n"))
    }
}
