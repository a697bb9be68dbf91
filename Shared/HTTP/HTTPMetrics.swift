import Observability

/// The server's metric families: requests by route and status, latency by route, requests in flight.
///
/// Labels use the route pattern, never the raw path, so their number stays bounded.
struct HTTPMetrics: Sendable {
    /// The label for requests that reached no handler (unknown path or method).
    static let unmatchedRoute = "unmatched"

    private let requests: Counter
    private let duration: Histogram
    private let inFlight: Gauge
    private let libraryErrors: Counter

    init(registry: MetricsRegistry) {
        requests = registry.counter("http_requests_total", help: "HTTP requests answered, by method, route and status.")
        duration = registry.histogram(
            "http_request_duration_seconds", help: "Time from a request's headers to its response, in seconds.")
        inFlight = registry.gauge("http_requests_in_flight", help: "HTTP requests received and not yet completed.")
        inFlight.set(0)
        libraryErrors = registry.counter(
            "http_library_errors_total",
            help: "Requests libmicrohttpd answered by itself (header fields too large, malformed requests), by status.")
    }

    /// Counts an error response libmicrohttpd sent without calling the server (it reaches no access-log line).
    func observeLibraryError(status: Int) {
        libraryErrors.increment([("status", String(status))])
    }

    func observe(method: String, route: String, status: Int, seconds: Double) {
        let method = Self.knownMethods.contains(method) ? method : "OTHER"
        requests.increment([("method", method), ("route", route), ("status", String(status))])
        duration.observe(seconds, [("method", method), ("route", route)])
    }

    func setInFlight(_ count: Int) {
        inFlight.set(Double(count))
    }

    /// Methods kept as labels; anything else a client invents is counted as `OTHER`.
    private static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
}
