import Foundation
import HTTP
import Postgres

/// The first answers to creating requests sent with an `Idempotency-Key`, kept in the service's
/// own schema (`idempotency_keys`, a toolkit migration) so that a repeat gets the same answer
/// instead of a second creation.
///
/// A key belongs to the caller who sent it (a staff id, or the citizen's address for public
/// endpoints) and binds one request: the same key with another method, path or body is refused.
/// The first request's row is inserted in the transaction that creates the thing and updated with
/// its answer before that transaction commits, so a concurrent repeat waits on the row and then
/// reads the answer; if the creation rolls back, so does the key.
enum IdempotencyStore {
    /// What to do with a request that carries a key.
    enum Claim {
        /// The key is new: handle the request, then `record` its answer in the same transaction.
        case first
        /// The same request was answered before: send this again.
        case replay(Response)
        /// The key was used for a different request.
        case mismatch
    }

    static let migrationSQL = """
        CREATE TABLE idempotency_keys (
            caller text NOT NULL,
            key text NOT NULL,
            request_hash bytea NOT NULL,
            status int,
            headers jsonb,
            body bytea,
            created_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL,
            PRIMARY KEY (caller, key)
        );
        CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
        COMMENT ON TABLE idempotency_keys IS
            'First answers to creating requests sent with an Idempotency-Key (toolkit). Keyed by caller, not by unit: a repeat must find its answer before the handler knows the unit.';
        """

    /// Takes `key` for `request` in `tx`, waiting for a concurrent first request with the same key
    /// to commit or roll back.
    static func claim(
        caller: String, key: String, request: Request, now: Date, lifetime: Duration, in tx: PostgresTransaction
    ) async throws -> Claim {
        let fingerprint = Data((request.method + " " + request.path + "\n").utf8 + request.body)
        let expires = now.addingTimeInterval(Double(lifetime.components.seconds))
        let rows = try await tx.pipeline([
            ("DELETE FROM idempotency_keys WHERE caller = $1 AND key = $2 AND expires_at <= $3", [caller, key, now]),
            (
                """
                INSERT INTO idempotency_keys (caller, key, request_hash, created_at, expires_at)
                VALUES ($1, $2, sha256($3), $4, $5) ON CONFLICT DO NOTHING
                """, [caller, key, fingerprint, now, expires]
            ),
        ])
        if rows[1].affectedRows == 1 { return .first }
        let stored = try await tx.query(
            """
            SELECT request_hash = sha256($3), status, headers::text, body
            FROM idempotency_keys WHERE caller = $1 AND key = $2
            """, [caller, key, fingerprint]
        ).single()
        let (same, status, headers, body) = try stored.decode(Bool.self, Int?.self, String?.self, Data?.self)
        guard same else { return .mismatch }
        guard let status else {
            // Written in the same transaction as its answer: only a crash between could leave it.
            throw ProblemError.conflict(
                code: "idempotency_key_in_progress", detail: "Yêu cầu với khóa Idempotency-Key này đang được xử lý.")
        }
        var response = Response(status: status, body: Array(body ?? Data()))
        for (name, value) in try decodeHeaders(headers) { response.headers.add(name, value) }
        response.headers["Idempotent-Replayed"] = "true"
        return .replay(response)
    }

    /// Stores the first answer under the key claimed in `tx`.
    static func record(_ response: Response, caller: String, key: String, in tx: PostgresTransaction) async throws {
        let kept = response.headers.filter { storedHeaders.contains($0.name.lowercased()) }.map { [$0.name, $0.value] }
        try await tx.query(
            "UPDATE idempotency_keys SET status = $3, headers = $4::jsonb, body = $5 WHERE caller = $1 AND key = $2",
            [
                caller, key, response.status, String(decoding: try JSONEncoder().encode(kept), as: UTF8.self),
                Data(response.body),
            ])
    }

    /// Deletes expired keys every hour until cancelled (a repeat of an expired key deletes its own
    /// row at once; this keeps keys never repeated from piling up).
    static func purgeExpired(_ context: ServiceContext, every interval: Duration = .seconds(3600)) async {
        while !Task.isCancelled {
            do {
                try await context.pool.query("DELETE FROM idempotency_keys WHERE expires_at <= $1", [context.clock.now])
            } catch {
                context.logger.warning("could not delete expired idempotency keys", ["error": .string("\(error)")])
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// The headers a replay repeats; the rest (request id, cookies) belong to each answer.
    private static let storedHeaders: Set = ["content-type", "location", "etag"]

    private static func decodeHeaders(_ text: String?) throws -> [(String, String)] {
        guard let text else { return [] }
        return try JSONDecoder().decode([[String]].self, from: Data(text.utf8)).compactMap { pair in
            pair.count == 2 ? (pair[0], pair[1]) : nil
        }
    }
}
