import CMicroHTTPD
import Glibc

// The C callbacks libmicrohttpd calls on its worker threads. Each receives the server's
// `ServerContext` as an unretained pointer; `HTTPServer` keeps it retained while the daemon runs.

/// MHD's access handler, called several times per request:
/// 1. after the header fields: create the `Exchange` (released in `completeRequest`), which chooses
///    the route; answer at once, before reading any body, when the server is shutting down, the
///    framing is ambiguous, there is no route, or the declared body is over the route's limit or
///    the body budget; on a streaming route, start its handler now;
/// 2. with each chunk of body: keep it (buffered) or hand it to the handler (streaming); a body
///    growing past its limit or the budget, or one whose handler already answered, is cut at once
///    (answered on the socket, connection closed) rather than read to its end;
/// 3. with no more body: suspend the connection until the handler (started now for a buffered
///    route) stores the response and resumes it — no MHD thread waits for a handler;
/// 4. after the resume: queue the stored response.
func handleAccess(
    context: UnsafeMutableRawPointer?, connection: OpaquePointer?, url: UnsafePointer<CChar>?,
    method: UnsafePointer<CChar>?, version: UnsafePointer<CChar>?, uploadData: UnsafePointer<CChar>?,
    uploadDataSize: UnsafeMutablePointer<Int>?, requestState: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> MHD_Result {
    guard let context, let connection, let url, let method, let uploadDataSize, let requestState else { return .NO }
    let server = Unmanaged<ServerContext>.fromOpaque(context).takeUnretainedValue()

    guard let stored = requestState.pointee else {
        let exchange = Exchange(
            method: String(cString: method), rawPath: String(cString: url),
            query: QueryParameters(connectionValues(connection, kind: .GET_ARGUMENT_KIND)),
            headers: HTTPHeaders(connectionValues(connection, kind: .HEADER_KIND)),
            remoteAddress: peerAddress(connection), trustedProxies: server.trustedProxies, resolve: server.resolve)
        requestState.pointee = Unmanaged.passRetained(exchange).toOpaque()
        server.begin(exchange)
        server.connections.receiving(connection, exchange)
        if let refusal = server.refusal(for: exchange, version: version.map { String(cString: $0) } ?? "") {
            server.connections.answering(connection)
            return queue(server.answerNow(exchange, with: refusal), on: connection)
        }
        if exchange.channel != nil {
            let request = exchange.request(body: [])
            Task { await server.handle(exchange, request: request) }
        }
        return .YES
    }
    let exchange = Unmanaged<Exchange>.fromOpaque(stored).takeUnretainedValue()
    if exchange.isCut { return .NO }

    if uploadDataSize.pointee > 0 {
        let chunk = UnsafeRawBufferPointer(start: uploadData, count: uploadDataSize.pointee)
        uploadDataSize.pointee = 0
        if let channel = exchange.channel {
            channel.push(chunk, connection: connection)
            return exchange.cutWithEarlyAnswer(socket: server.connections.socket(of: connection)) ? .NO : .YES
        }
        switch exchange.receive(chunk, budget: server.bodyBudget) {
        case nil:
            return .YES
        case .overLimit:
            let problem = ProblemError.payloadTooLarge(limit: exchange.resolution.body.limit)
            _ = server.cut(exchange, socket: server.connections.socket(of: connection), with: problem)
            return .NO
        case .overBudget:
            _ = server.cut(exchange, socket: server.connections.socket(of: connection), with: .serverBusy)
            return .NO
        }
    }
    server.connections.answering(connection)
    if let response = exchange.takeResponse() {
        return queue(response, on: connection)
    }
    if server.isAbandoned {
        // Shutdown gave up on handlers: a request completed now is not started (nor suspended).
        return queue(
            server.answerNow(
                exchange,
                with: ProblemError.shuttingDown.response(instance: exchange.path, requestId: exchange.requestId)),
            on: connection)
    }
    if let channel = exchange.channel {
        channel.finish()
        if let response = exchange.suspendUnlessAnswered(connection) { return queue(response, on: connection) }
        return .YES
    }
    let request = exchange.request(body: exchange.suspend(connection))
    Task { await server.handle(exchange, request: request) }
    return .YES
}

/// MHD's notice that a request is over (answered, or the client went away): a streaming handler
/// still reading learns the body is lost, the request's share of the body budget is given back,
/// the connection waits for its next request's header fields, and the `Exchange` retained in the
/// first call is released.
func completeRequest(
    context: UnsafeMutableRawPointer?, connection: OpaquePointer?,
    requestState: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, reason: MHD_RequestTerminationCode
) {
    guard let context, let requestState, let stored = requestState.pointee else { return }
    let server = Unmanaged<ServerContext>.fromOpaque(context).takeUnretainedValue()
    let exchange = Unmanaged<Exchange>.fromOpaque(stored).takeRetainedValue()
    requestState.pointee = nil
    exchange.channel?.finish(failure: .bodyInterrupted)
    exchange.release(to: server.bodyBudget)
    if let connection { server.connections.awaitingHeaders(connection) }
    server.end(exchange)
}

/// MHD's notice that a connection opened or closed, which keeps the server's table of connections
/// (and so their deadlines).
func noticeConnection(
    context: UnsafeMutableRawPointer?, connection: OpaquePointer?,
    socketContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
    code: MHD_ConnectionNotificationCode
) {
    guard let context, let connection else { return }
    let server = Unmanaged<ServerContext>.fromOpaque(context).takeUnretainedValue()
    if code == .CONNECTION_NOTIFY_STARTED {
        server.connections.opened(connection)
    } else {
        server.connections.closed(connection)
    }
}

/// MHD's own messages (bind failures, resource limits, requests it refused) as warning lines in
/// the JSON log, rate-limited, with the errors it answered by itself counted in metrics.
func logLibraryMessage(context: UnsafeMutableRawPointer?, format: UnsafePointer<CChar>?, arguments: CVaListPointer?) {
    guard let context, let format, let arguments else { return }
    let server = Unmanaged<ServerContext>.fromOpaque(context).takeUnretainedValue()
    var text = [CChar](repeating: 0, count: 512)
    var message = text.withUnsafeMutableBufferPointer { buffer in
        _ = vsnprintf(buffer.baseAddress, buffer.count, format, arguments)
        return String(cString: buffer.baseAddress!)
    }
    while message.last?.isNewline == true { message.removeLast() }
    server.libraryLog.record(message)
}

/// Sends `response` on `connection`; MHD copies the body, so the buffer need not outlive the call.
private func queue(_ response: Response, on connection: OpaquePointer) -> MHD_Result {
    let created = response.body.withUnsafeBytes { bytes in
        MHD_create_response_from_buffer(
            bytes.count, UnsafeMutableRawPointer(mutating: bytes.baseAddress), .RESPMEM_MUST_COPY)
    }
    guard let created else { return .NO }
    defer { MHD_destroy_response(created) }
    for field in response.headers {
        _ = MHD_add_response_header(created, field.name, field.value)
    }
    return MHD_queue_response(connection, UInt32(response.status), created)
}

/// The connection's values of one kind (header fields, query arguments), percent-decoded when
/// they are query arguments (MHD leaves them encoded, see `motcua_keep_escaped`).
private func connectionValues(_ connection: OpaquePointer, kind: MHD_ValueKind) -> [(name: String, value: String)] {
    var fields: [(name: String, value: String)] = []
    withUnsafeMutablePointer(to: &fields) { list in
        _ = MHD_get_connection_values(connection, kind, collectValue, list)
    }
    guard kind == .GET_ARGUMENT_KIND else { return fields }
    return fields.map { field in
        (
            PercentDecoding.decode(field.name[...], plusIsSpace: true),
            PercentDecoding.decode(field.value[...], plusIsSpace: true)
        )
    }
}

private func collectValue(
    list: UnsafeMutableRawPointer?, kind: MHD_ValueKind, name: UnsafePointer<CChar>?, value: UnsafePointer<CChar>?
) -> MHD_Result {
    guard let list, let name else { return .YES }
    list.assumingMemoryBound(to: [(name: String, value: String)].self).pointee
        .append((String(cString: name), value.map { String(cString: $0) } ?? ""))
    return .YES
}

/// The peer's IP address as text, when MHD knows it.
private func peerAddress(_ connection: OpaquePointer) -> String? {
    guard let address = motcua_client_address(connection) else { return nil }
    var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
    let converted = text.withUnsafeMutableBufferPointer { buffer -> Bool in
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            return UnsafeRawPointer(address).withMemoryRebound(to: sockaddr_in.self, capacity: 1) { ipv4 in
                var host = ipv4.pointee.sin_addr
                return inet_ntop(AF_INET, &host, buffer.baseAddress, socklen_t(buffer.count)) != nil
            }
        case AF_INET6:
            return UnsafeRawPointer(address).withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { ipv6 in
                var host = ipv6.pointee.sin6_addr
                return inet_ntop(AF_INET6, &host, buffer.baseAddress, socklen_t(buffer.count)) != nil
            }
        default:
            return false
        }
    }
    guard converted else { return nil }
    return text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}
