extension HTTPServer {
    /// Where and how the server listens, and the limits that keep one hostile client from taking it down.
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
        /// Open connections allowed at once from one client address; more are refused at once, so
        /// one client cannot hold every connection. An ingress in front counts as one client.
        public var perAddressConnectionLimit: Int
        /// Seconds an idle connection is kept open (reset by every byte; the deadlines below are not).
        public var idleTimeoutSeconds: Int
        /// Time a connection has to send a request's header fields, from its opening or from the end
        /// of its previous response; a connection still sending them then is closed.
        public var headerTimeout: Duration
        /// Time a request has to send its whole body, from the end of its header fields; a request
        /// still sending it then is answered 408 and closed.
        public var bodyTimeout: Duration
        /// Bytes libmicrohttpd may use per connection (read and write buffers, the header fields).
        public var connectionMemoryLimit: Int
        /// Bytes of buffered request bodies held at once across all connections; a body that would
        /// pass it is answered 503 `server_busy` before it is read.
        public var bufferedBodyBudget: Int
        /// The proxies (the front door) whose `X-Forwarded-For` names the client; none by default,
        /// so the client is the connection's peer.
        public var trustedProxies: TrustedProxies

        public init(
            host: String = "127.0.0.1", port: Int, threadPoolSize: Int = 4, connectionLimit: Int = 1000,
            perAddressConnectionLimit: Int = 128, idleTimeoutSeconds: Int = 30, headerTimeout: Duration = .seconds(10),
            bodyTimeout: Duration = .seconds(60), connectionMemoryLimit: Int = 64 << 10,
            bufferedBodyBudget: Int = 64 << 20, trustedProxies: TrustedProxies = .none
        ) {
            self.host = host
            self.port = port
            self.threadPoolSize = threadPoolSize
            self.connectionLimit = connectionLimit
            self.perAddressConnectionLimit = perAddressConnectionLimit
            self.idleTimeoutSeconds = idleTimeoutSeconds
            self.headerTimeout = headerTimeout
            self.bodyTimeout = bodyTimeout
            self.connectionMemoryLimit = connectionMemoryLimit
            self.bufferedBodyBudget = bufferedBodyBudget
            self.trustedProxies = trustedProxies
        }
    }
}
