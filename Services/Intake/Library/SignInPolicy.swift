import Domain
import Foundation
import ServiceKit
import HTTP

/// The rules of staff sign-in (đăng nhập cán bộ): the password policy, the back-off after repeated
/// failures, and how long a refresh token and a session last. Constants, so a deployment's policy is one
/// place to read and the tests can name it.
public struct SignInPolicy: Sendable {
    /// Wrong passwords in a row for one username from one client address before that pair must
    /// wait: `backOff`, doubled at each further failure up to `backOffCap`.
    public var maxFailures = 5
    public var backOff: Duration = .seconds(60)
    public var backOffCap: Duration = .seconds(3600)
    /// Wrong passwords for one username from all addresses together before every address waits
    /// (from `backOff`, doubling to `accountBackOffCap`): it slows a guess spread over many
    /// addresses, and never locks the owner out for longer than the cap.
    public var accountCeiling = 20
    public var accountBackOffCap: Duration = .seconds(5 * 60)
    /// How long failures are remembered after the last one; the count starts again after it.
    public var failureMemory: Duration = .seconds(24 * 3600)
    /// How long a refresh token stays usable without being used (each use gives a new one).
    public var refreshLifetime: Duration = .seconds(12 * 3600)
    /// How long a session (a sign-in and all its refreshes) lasts at most, whatever the refreshes.
    public var sessionLifetime: Duration = .seconds(12 * 3600)
    /// How long a page's sign-in lasts without a request: its session cookie's token (5 minutes)
    /// is renewed on a request after it expired, until this long after it was issued. So 30
    /// minutes without a request always end it, 25 may (a cookie renewed a moment before goes on).
    /// Bearer tokens have no such renewal; the refresh endpoint is theirs.
    public var idleTimeout: Duration = .seconds(30 * 60)
    /// Sign-in attempts one client address may make per `attemptWindow`, beside the front door's own limit.
    public var attemptsPerAddress = 30
    public var attemptWindow: Duration = .seconds(60)
    /// The shortest password accepted.
    public var minimumPasswordLength = 10
    /// The longest (argon2id hashes any length; this bounds the work a request can ask for).
    public var maximumPasswordLength = 200

    public init() {}

    /// The standard policy.
    public static let standard = SignInPolicy()

    /// Notes in `errors` what is wrong with `password` as a new password for `field`.
    func check(password: String, field: String, into errors: inout FieldErrors) {
        if password.count < minimumPasswordLength {
            errors.add(
                field: field, code: "password_too_short",
                detail: "Mật khẩu phải có ít nhất \(minimumPasswordLength) ký tự.")
        } else if password.count > maximumPasswordLength {
            errors.add(
                field: field, code: "password_too_long",
                detail: "Mật khẩu không được dài quá \(maximumPasswordLength) ký tự.")
        } else if password.allSatisfy({ $0 == password.first }) {
            errors.add(
                field: field, code: "password_too_weak", detail: "Mật khẩu không được chỉ gồm một ký tự lặp lại.")
        }
    }

    /// The session cookie's `Max-Age`: as long as its token may be renewed.
    var sessionCookieMaxAge: Int { Int(idleTimeout.components.seconds) }

    /// The brake on attempts from one client address this policy sets.
    var throttle: ClientWindows { ClientWindows(limit: attemptsPerAddress, per: attemptWindow) }

    /// An instant as staff read it: Vietnam time, `HH:mm dd/MM/yyyy`, rounded up to the minute
    /// (so "until 08:15" is never a minute early).
    static func vietnamese(_ instant: Date) -> String {
        let time = VietnamTime(instant.addingTimeInterval(59))
        func two(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }
        let minutes = time.secondsSinceMidnight / 60
        return
            "\(two(minutes / 60)):\(two(minutes % 60)) \(two(time.date.day))/\(two(time.date.month))/\(time.date.year)"
    }
}
