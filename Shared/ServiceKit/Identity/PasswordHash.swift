import CSodium
import Dispatch
import Foundation
import Synchronization

/// A staff password's argon2id hash in libsodium's self-describing string form
/// (`$argon2id$v=19$m=65536,t=2,p=1$…`): what the staff table stores, never the password.
public struct PasswordHash: Sendable, Hashable, CustomStringConvertible {
    /// The encoded hash, salt and parameters.
    public let encoded: String

    /// A stored hash, as read back from the database.
    public init(encoded: String) { self.encoded = encoded }

    /// Hashes `password` with a fresh salt and libsodium's interactive limits (about 64 MiB and a
    /// few tens of milliseconds: slow enough against guessing, fast enough for a sign-in).
    public init(hashing password: String) {
        Sodium.ready()
        var output = [CChar](repeating: 0, count: Int(crypto_pwhash_STRBYTES))
        let length = UInt64(password.utf8.count)
        let (operations, memory) = Self.limits
        let status = password.withCString { chars in
            crypto_pwhash_str(&output, chars, length, operations, memory)
        }
        precondition(status == 0, "argon2id hashing ran out of memory")
        encoded = output.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// The argon2id limits new hashes use: libsodium's interactive ones, or its minimum when the
    /// test command sets `MOTCUA_TEST_CHEAP_PASSWORD_HASHES=1` (the suite hashes and checks hundreds
    /// of passwords, which at 64 MiB each kept both cores busy for minutes and starved the other
    /// tests). A stored hash carries its own limits, so checking it costs what hashing it did.
    static let limits: (operations: UInt64, memory: Int) =
        ProcessInfo.processInfo.environment["MOTCUA_TEST_CHEAP_PASSWORD_HASHES"] == "1"
        ? (UInt64(crypto_pwhash_OPSLIMIT_MIN), Int(crypto_pwhash_MEMLIMIT_MIN))
        : (UInt64(crypto_pwhash_OPSLIMIT_INTERACTIVE), Int(crypto_pwhash_MEMLIMIT_INTERACTIVE))

    /// Whether `password` is the one hashed; constant time in the password's content.
    public func matches(_ password: String) -> Bool {
        Sodium.ready()
        let length = UInt64(password.utf8.count)
        return password.withCString { chars in crypto_pwhash_str_verify(encoded, chars, length) == 0 }
    }

    /// `init(hashing:)` on a thread of the password workers, off Swift's cooperative pool: argon2id
    /// holds its thread (and 64 MiB) for tens of milliseconds, which on the pool's few threads
    /// would stall every other task of the process. A server calls this, never the initializer.
    public static func hashing(_ password: String) async -> PasswordHash {
        await PasswordWorkers.run { PasswordHash(hashing: password) }
    }

    /// `matches(_:)` on a thread of the password workers, off Swift's cooperative pool.
    public func verify(_ password: String) async -> Bool {
        await PasswordWorkers.run { self.matches(password) }
    }

    /// Never the hash itself, which is as sensitive as a password for offline guessing.
    public var description: String { "PasswordHash(argon2id)" }
}

/// The threads argon2id runs on: one serial queue per core, taken in turn, so that at most that
/// many hashes (64 MiB each) are computed at once however many sign-ins arrive.
enum PasswordWorkers {
    private static let queues = (0..<max(1, ProcessInfo.processInfo.activeProcessorCount)).map {
        DispatchQueue(label: "motcua.argon2id.\($0)")
    }
    private static let next = Atomic<Int>(0)

    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        let turn = next.add(1, ordering: .relaxed).oldValue
        let queue = queues[turn % queues.count]
        return await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }
}
