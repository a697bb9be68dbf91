import Domain
import Foundation
import HTTP
import Postgres
import ServiceKit

/// `GET /api/dossiers`: the queue of the principal's units, submissions waiting for acceptance
/// first (by their acceptance clock), then by appointment date, with filters and keyset pages.
enum DossierQueue {
    /// The filters of the query string: `status`, `procedure`, `deadline` (`on_track`, `due_soon`,
    /// `overdue`), `from` and `to` (receipt dates, `yyyy-MM-dd`).
    struct Filter: Sendable {
        var status: DossierStatus?
        var procedure: String?
        var deadline: DeadlineState?
        var from: LocalDate?
        var to: LocalDate?

        init(_ query: QueryParameters) throws {
            status = try Self.choice(query, "status", DossierStatus.init(rawValue:))
            procedure = query["procedure"].flatMap { $0.isEmpty ? nil : $0 }
            deadline = try Self.choice(query, "deadline", DeadlineState.init(rawValue:))
            from = try query.optional("from", as: LocalDate.self)
            to = try query.optional("to", as: LocalDate.self)
        }

        private static func choice<T>(_ query: QueryParameters, _ name: String, _ parse: (String) -> T?) throws -> T? {
            guard let text = query[name], !text.isEmpty else { return nil }
            guard let value = parse(text) else {
                throw ProblemError.badRequest(
                    code: "invalid_parameter",
                    detail: "Tham số \"\(name)\" có giá trị không hợp lệ: \(text.prefix(40)).")
            }
            return value
        }
    }

    /// Where a row stands in the queue's order: waiting submissions (rank 0) before the rest, then by
    /// the instant they are due, then by code.
    struct Position: Codable, Sendable {
        let rank: Int
        let dueAt: Date
        let code: String

        init(rank: Int, dueAt: Date, code: String) {
            self.rank = rank
            self.dueAt = dueAt
            self.code = code
        }

        /// Read back from a cursor, which comes from outside: a rank is 0 or 1 (the query binds it as
        /// an `int`, which a larger number would overflow).
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            rank = try container.decode(Int.self, forKey: .rank)
            guard (0...1).contains(rank) else {
                throw DecodingError.dataCorruptedError(forKey: .rank, in: container, debugDescription: "rank is 0 or 1")
            }
            dueAt = try container.decode(Date.self, forKey: .dueAt)
            code = try container.decode(String.self, forKey: .code)
        }
    }

    static func page(
        _ filter: Filter, page: PageRequest, clock: DossierClock, now: Date, in tx: ScopedTransaction
    ) async throws -> Page<DossierSummary> {
        let today = VietnamTime(now).date
        // Due soon: due today or on the next working day (DossierClock.deadlineState).
        let dueSoonUntil = clock.calendar.addWorkingDays(1, to: clock.calendar.nextWorkingDay(onOrAfter: today))
        let after = try page.after(Position.self)
        let rows = try await tx.query(
            """
            WITH queue AS (
                SELECT code, status, channel, procedure_code, procedure->'summary'->>'name' AS procedure_name,
                       applicant_name, received_at, coalesce(rescheduled_to, due_date) AS appointment, due_date,
                       paused_since, rescheduled_to, acceptance_due_at, submitted_at, completed_at,
                       CASE WHEN status = 'submitted' THEN 0 ELSE 1 END AS rank,
                       CASE WHEN status = 'submitted' THEN acceptance_due_at
                            ELSE coalesce(due_date, DATE '9999-12-31')::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' END AS due_at
                FROM dossiers
                WHERE ($1::text IS NULL OR status = $1)
                  AND ($2::text IS NULL OR procedure_code = $2)
                  AND ($3::date IS NULL OR (received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date >= $3)
                  AND ($4::date IS NULL OR (received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date <= $4)
                  AND ($5::text IS NULL OR (status IN ('received', 'in_progress', 'supplement_requested') AND CASE $5
                          WHEN 'overdue' THEN due_date < $6
                          WHEN 'due_soon' THEN due_date BETWEEN $6 AND $7
                          ELSE due_date > $7 END))
            )
            SELECT code, status, channel, procedure_code, procedure_name, applicant_name, received_at, due_date,
                   paused_since, rescheduled_to, acceptance_due_at, submitted_at, completed_at, rank, due_at
            FROM queue
            WHERE $8::int IS NULL OR (rank, due_at, code) > ($8, $9, $10)
            ORDER BY rank, due_at, code
            LIMIT $11
            """,
            [
                filter.status, filter.procedure, filter.from, filter.to, filter.deadline?.rawValue, today, dueSoonUntil,
                after?.rank, after?.dueAt, after?.code, page.fetchLimit,
            ]
        ).map { row in
            let (code, status, channel, procedure, procedureName, applicant, receivedAt, dueDate) = try row.decode(
                DossierCode.self, DossierStatus.self, DossierChannel.self, String.self, String.self, String.self,
                Date?.self, LocalDate?.self)
            let (pausedSince, rescheduledTo, acceptanceDueAt, submittedAt, completedAt, rank, dueAt) = try (
                row.decode(Date?.self, at: 8), row.decode(LocalDate?.self, at: 9), row.decode(Date?.self, at: 10),
                row.decode(Date?.self, at: 11), row.decode(Date?.self, at: 12), row.decode(Int.self, at: 13),
                row.decode(Date.self, at: 14)
            )
            let deadline = dueDate.map { Deadline(dueDate: $0, pausedSince: pausedSince, rescheduledTo: rescheduledTo) }
            var state: DeadlineState?
            if let deadline, [.received, .inProgress, .supplementRequested].contains(status) {
                state = clock.deadlineState(of: deadline, at: now)
            } else if let deadline, let completedAt {
                state = clock.outcome(of: deadline, completedAt: completedAt) == .late ? .overdue : .onTrack
            }
            let summary = DossierSummary(
                code: code, status: status, channel: channel, procedureCode: procedure, procedureName: procedureName,
                applicantName: applicant, receivedAt: receivedAt, appointmentDate: deadline?.appointmentDate,
                acceptanceDueAt: acceptanceDueAt, deadlineState: state,
                acceptanceLate: status == .submitted
                    && submittedAt.map { clock.isAcceptanceLate(submittedAt: $0, at: now) } == true)
            return (summary, Position(rank: rank, dueAt: dueAt, code: code.value))
        }
        let positions = Dictionary(uniqueKeysWithValues: rows.map { ($0.0.code.value, $0.1) })
        return Page(rows: rows.map(\.0), request: page) { positions[$0.code.value]! }
    }
}
