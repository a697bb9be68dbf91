import ServiceKit

/// The portal answered, but not with 2xx: the status and the start of its body, kept as the
/// delivery's last error.
struct PortalRefusal: Error, CustomStringConvertible {
    let status: Int
    let body: String

    init(_ response: OutboundResponse) {
        status = response.status
        body = String(decoding: response.body.prefix(200), as: UTF8.self)
    }

    var description: String { "the portal answered \(status): \(body)" }
}
