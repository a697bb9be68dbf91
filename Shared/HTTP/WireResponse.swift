import CMicroHTTPD
import Glibc

/// A response written by the server itself, straight to a connection's socket, for the cases
/// libmicrohttpd cannot queue one: a request cut while its body still arrives (over its limit or the
/// body budget, past its deadline, at shutdown).
enum WireResponse {
    /// Writes `response` as HTTP/1.1 with `Connection: close`, without blocking: the socket's send
    /// buffer is empty at this point (nothing was answered yet) and a problem document fits in it.
    static func write(_ response: Response, to socket: Int32) {
        guard socket >= 0 else { return }
        let reason = MHD_get_reason_phrase_for(UInt32(response.status)).map { String(cString: $0) } ?? ""
        var head = "HTTP/1.1 \(response.status) \(reason)\r\n"
        for field in response.headers where !["content-length", "connection"].contains(field.name.lowercased()) {
            head += "\(field.name): \(field.value)\r\n"
        }
        head += "Content-Length: \(response.body.count)\r\nConnection: close\r\n\r\n"
        let bytes = Array(head.utf8) + response.body
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes {
                send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            }
            guard count > 0 else { return }
            sent += count
        }
    }
}
