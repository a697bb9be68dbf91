extension HTTPServer {
    /// Where and how the server listens.
    public struct Configuration: Sendable {
        /// The IPv4 address to bind: `127.0.0.1` for loopback only, `0.0.0.0` for every interface.
        public var host: String
        /// The TCP port; 0 lets the system choose (read the result from `HTTPServer.port`).
        public var port: Int
        /// libmicrohttpd worker threads. Handlers run on Swift's concurrency pool, not on these,
        /// so a few threads carry many slow requests.
        public var threadPoolSize: Int
        /// Open connections allowed at once, across all worker threads.
        public var connectionLimit: Int
        /// Seconds an idle connection (keep-alive or stalled upload) is kept open.
        public var idleTimeoutSeconds: Int

        public init(
            host: String = "127.0.0.1", port: Int, threadPoolSize: Int = 4, connectionLimit: Int = 1000,
            idleTimeoutSeconds: Int = 30
        ) {
            self.host = host
            self.port = port
            self.threadPoolSize = threadPoolSize
            self.connectionLimit = connectionLimit
            self.idleTimeoutSeconds = idleTimeoutSeconds
        }
    }
}
