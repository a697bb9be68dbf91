/// The cookies a request carries in its `Cookie` header fields, by name.
public struct Cookies: Sendable {
    private let pairs: [(name: String, value: String)]

    /// The cookies of `Cookie` header values such as `session=abc; lang=vi`.
    public init(headerValues: [String]) {
        pairs = headerValues.flatMap { value in
            value.split(separator: ";").compactMap { part -> (name: String, value: String)? in
                let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard pieces.count == 2 else { return nil }
                let name = pieces[0].trimmingBlanks
                let value = pieces[1].trimmingBlanks.unquoted
                return name.isEmpty ? nil : (name, value)
            }
        }
    }

    /// The value of the first cookie called `name`, or nil.
    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }
}

extension Request {
    /// The cookies sent with the request.
    public var cookies: Cookies { Cookies(headerValues: headers.values("Cookie")) }
}

extension Response {
    /// Adds a `Set-Cookie` field. The defaults suit a session cookie: not readable from scripts
    /// (`HttpOnly`), HTTPS only (`Secure`), not sent from other sites' forms (`SameSite=Strict`).
    /// `maxAge` 0 deletes the cookie; nil keeps it until the browser closes.
    ///
    /// `name` must be a token and `value` must not contain spaces, quotes, commas, semicolons or
    /// backslashes (base64url and hex are fine): anything else is a programming error.
    public mutating func setCookie(
        _ name: String, _ value: String, maxAge: Int? = nil, path: String = "/", secure: Bool = true,
        httpOnly: Bool = true, sameSite: SameSite = .strict
    ) {
        precondition(!name.isEmpty && name.unicodeScalars.allSatisfy(Self.isTokenCharacter), "bad cookie name \(name)")
        precondition(value.unicodeScalars.allSatisfy(Self.isCookieValueCharacter), "bad value for cookie \(name)")
        var field = "\(name)=\(value); Path=\(path)"
        if let maxAge { field += "; Max-Age=\(maxAge)" }
        if secure { field += "; Secure" }
        if httpOnly { field += "; HttpOnly" }
        field += "; SameSite=\(sameSite.rawValue)"
        headers.add("Set-Cookie", field)
    }

    private static func isTokenCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && scalar.value > 32 && scalar.value < 127
            && !"()<>@,;:\\\"/[]?={}".unicodeScalars.contains(scalar)
    }

    private static func isCookieValueCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && scalar.value > 32 && scalar.value < 127 && !"\",;\\".unicodeScalars.contains(scalar)
    }
}
