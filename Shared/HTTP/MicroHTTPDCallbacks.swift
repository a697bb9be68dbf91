import CMicroHTTPD
import Glibc

// The C callbacks libmicrohttpd calls on its worker threads. Each receives the server's
// `ServerContext` as an unretained pointer; `HTTPServer` keeps it retained while the daemon runs.

/// MHD's access handler, called several times per request:
/// 1. after the header fields: create the `Exchange` (released in `completeRequest`), which chooses
///    the route; answer at once, before reading any body, when there is no route or the declared
///    body is over the route's limit; on a streaming route, start its handler now;
/// 2. with each chunk of body: keep it (buffered), hand it to the handler (streaming), or drop it
///    once past the limit;
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
            remoteAddress: clientAddress(connection), resolve: server.resolve)
        requestState.pointee = Unmanaged.passRetained(exchange).toOpaque()
        server.begin(exchange)
        let resolution = exchange.resolution
        if let refusal = resolution.refusal(method: exchange.method, path: exchange.path, requestId: exchange.requestId)
        {
            return queue(server.answerNow(exchange, with: refusal), on: connection)
        }
        if let length = exchange.declaredLength, length > resolution.body.limit {
            return queue(server.answerNow(exchange, with: payloadTooLarge(exchange)), on: connection)
        }
        if exchange.channel != nil {
            let request = exchange.request(body: [])
            Task { await server.handle(exchange, request: request) }
        }
        return .YES
    }
    let exchange = Unmanaged<Exchange>.fromOpaque(stored).takeUnretainedValue()

    if uploadDataSize.pointee > 0 {
        let chunk = UnsafeRawBufferPointer(start: uploadData, count: uploadDataSize.pointee)
        if let channel = exchange.channel {
            channel.push(chunk, connection: connection)
        } else {
            exchange.receive(chunk)
        }
        uploadDataSize.pointee = 0
        return .YES
    }
    if let response = exchange.takeResponse() {
        return queue(response, on: connection)
    }
    if let channel = exchange.channel {
        channel.finish()
        if let response = exchange.suspendUnlessAnswered(connection) { return queue(response, on: connection) }
        return .YES
    }
    if exchange.overflowed {
        return queue(server.answerNow(exchange, with: payloadTooLarge(exchange)), on: connection)
    }
    let request = exchange.request(body: exchange.suspend(connection))
    Task { await server.handle(exchange, request: request) }
    return .YES
}

/// MHD's notice that a request is over (answered, or the client went away): a streaming handler
/// still reading learns the body is lost, and the `Exchange` retained in the first call is released.
func completeRequest(
    context: UnsafeMutableRawPointer?, connection: OpaquePointer?,
    requestState: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, reason: MHD_RequestTerminationCode
) {
    guard let context, let requestState, let stored = requestState.pointee else { return }
    let server = Unmanaged<ServerContext>.fromOpaque(context).takeUnretainedValue()
    let exchange = Unmanaged<Exchange>.fromOpaque(stored).takeRetainedValue()
    requestState.pointee = nil
    exchange.channel?.finish(failure: .bodyInterrupted)
    server.end(exchange)
}

/// The 413 for a body over its route's limit.
private func payloadTooLarge(_ exchange: Exchange) -> Response {
    ProblemError.payloadTooLarge(limit: exchange.resolution.body.limit)
        .response(instance: exchange.path, requestId: exchange.requestId)
}

/// MHD's own error messages (bind failures, resource limits) as warning lines in the JSON log.
func logLibraryMessage(context: UnsafeMutableRawPointer?, format: UnsafePointer<CChar>?, arguments: CVaListPointer?) {
    guard let context, let format, let arguments else { return }
    let server = Unmanaged<ServerContext>.fromOpaque(context).takeUnretainedValue()
    var text = [CChar](repeating: 0, count: 512)
    var message = text.withUnsafeMutableBufferPointer { buffer in
        _ = vsnprintf(buffer.baseAddress, buffer.count, format, arguments)
        return String(cString: buffer.baseAddress!)
    }
    while message.last?.isNewline == true { message.removeLast() }
    server.logger.warning("libmicrohttpd", ["detail": .string(message)])
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
private func clientAddress(_ connection: OpaquePointer) -> String? {
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
