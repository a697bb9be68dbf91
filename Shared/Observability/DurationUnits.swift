/// A `Duration` in the units that SQL intervals, poll timeouts and metrics take.
extension Duration {
    /// Whole milliseconds, rounded down.
    public var inMilliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }

    /// Seconds as a floating-point number (Prometheus histograms count in seconds).
    public var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
