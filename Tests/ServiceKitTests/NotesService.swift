import Domain
import Events
import Foundation
import HTML
import HTTP
import Postgres
import Queue
import ServiceKit

/// A small service written only with the toolkit, as a slice would be: a unit-scoped table, staff
/// routes behind `RequireStaff` with per-route roles, an idempotent creation that audits and
/// publishes, validation, a domain error, keyset pagination, a page with a form, and a typed
/// consumer. It runs as the communication role, in that schema.
struct NotesService: Service {
    static let name = "communication"
    static let defaultPort: UInt16 = 0
    static let summary = "toolkit test service"

    var migrations: [Migration] {
        ToolkitSchema.followed(by: [
            Migration(
                3, "notes",
                """
                CREATE TABLE notes (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    unit_code text NOT NULL,
                    title text NOT NULL,
                    phone text NOT NULL,
                    closed boolean NOT NULL DEFAULT false,
                    created_by text NOT NULL,
                    created_at timestamptz NOT NULL
                );
                \(UnitScope.rowLevelSecurity(on: "notes"))
                CREATE TABLE units_seen (unit_code text NOT NULL, code text PRIMARY KEY, name text NOT NULL);
                \(UnitScope.rowLevelSecurity(on: "units_seen"))
                """)
        ])
    }

    struct NewNote: Codable, Sendable {
        var title: String
        var phone: String
        var priority: Int?
    }

    struct Note: Codable, Sendable, Equatable {
        var id: Int64
        var unitCode: String
        var title: String
        var closed: Bool
    }

    func addRoutes(to router: Router<ServiceRequestContext>, context: ServiceContext) {
        let notes = router.group("/api/notes").add(middleware: RequireStaff()).add(middleware: Idempotency())
        notes.post("", roles: [.receptionist]) { request, context in
            let note = try await create(try request.decode(NewNote.self), context: context)
            return try .json(note, status: 201)
        }
        notes.get("") { request, context in
            let page = try PageRequest(query: request.query, defaultLimit: 2)
            let after = try page.after(Int64.self) ?? 0
            let rows = try await context.transaction { tx in
                try await tx.query(
                    "SELECT id, unit_code, title, closed FROM notes WHERE id > $1 ORDER BY id LIMIT $2",
                    [after, page.fetchLimit]
                ).map(Self.note)
            }
            return try .json(Page(rows: rows, request: page, key: \.id))
        }
        notes.post(":id/close", roles: [.leader]) { request, context in
            let id = try request.require("id", as: Int64.self)
            return try await context.transaction { tx in
                guard let row = try await tx.query("SELECT closed FROM notes WHERE id = $1 FOR UPDATE", [id]).first
                else {
                    throw DomainError(code: "note_not_found", message: "Không có ghi chú số \(id).", kind: .notFound)
                }
                guard !(try row.decode(Bool.self, at: 0)) else {
                    throw DomainError(code: "note_closed", message: "Ghi chú đã đóng.", kind: .conflict)
                }
                try await tx.execute("UPDATE notes SET closed = true WHERE id = $1", [id])
                try await context.audit("note.closed", subject: "note:\(id)", in: tx)
                return .noContent
            }
        }
        let pages = router.group("/notes").add(middleware: RequireStaff(.receptionist))
        pages.get("/new") { _, context in .page(Self.form(Form(action: "/notes/new", csrfToken: context.csrfToken))) }
        pages.post("/new") { request, context in
            let fields = Dictionary(try request.form().items.map { ($0.name, $0.value) }) { _, last in last }
            do {
                _ = try await create(try request.decodeForm(NewNote.self), context: context)
            } catch let problem as ProblemError where problem.errors != nil {
                let form = Form(
                    action: "/notes/new", values: fields, errors: problem.errors!, csrfToken: context.csrfToken)
                return .page(Self.form(form), status: 422)
            }
            var response = Response(status: 303)
            response.headers["Location"] = "/notes/new"
            return response
        }
    }

    func consumers(context: ServiceContext) -> [any QueueConsumer] {
        [
            EventConsumer.transactional(UnitRegistered.self, context: context) { envelope, tx in
                try await tx.execute(
                    "INSERT INTO units_seen VALUES ($1, $2, $3)",
                    [envelope.wardCode, envelope.data.code, envelope.data.name])
            }
        ]
    }

    /// Validates, inserts, audits and publishes, in the request's transaction.
    private func create(_ new: NewNote, context: ServiceRequestContext) async throws -> Note {
        var errors = FieldErrors()
        if new.title.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.add(field: "title", code: "required", detail: "Vui lòng nhập tiêu đề.")
        }
        if new.phone.count != 10 || !new.phone.hasPrefix("0") || !new.phone.allSatisfy(\.isNumber) {
            errors.add(
                field: "phone", code: "invalid_format", detail: "Số điện thoại phải gồm 10 chữ số, bắt đầu bằng 0.")
        }
        if let priority = new.priority, !(1...3).contains(priority) {
            errors.add(field: "priority", code: "out_of_range", detail: "Mức ưu tiên từ 1 đến 3.")
        }
        try errors.throwIfAny()
        let principal = try context.requirePrincipal()
        return try await context.transaction { tx in
            let note = try await tx.query(
                """
                INSERT INTO notes (unit_code, title, phone, created_by, created_at) VALUES ($1, $2, $3, $4, $5)
                RETURNING id, unit_code, title, closed
                """, [try tx.writingUnit(), new.title, new.phone, principal.id, context.clock.now]
            ).single()
            let created = try Self.note(note)
            try await context.audit(
                "note.created", subject: "note:\(created.id)", details: ["title": new.title], in: tx)
            try await tx.publish(
                FeedbackReceived(
                    feedbackId: "note-\(created.id)", channel: "counter", category: "note", dossierCode: nil,
                    receivedAt: context.clock.now, dueDate: LocalDate(year: 2026, month: 3, day: 12)!),
                key: "note-\(created.id)")
            return created
        }
    }

    private static func note(_ row: PostgresRow) throws -> Note {
        let (id, unit, title, closed) = try row.decode(Int64.self, String.self, String.self, Bool.self)
        return Note(id: id, unitCode: unit, title: title, closed: closed)
    }

    static let layout = Layout(unitName: "UBND phường Bến Thành", serviceName: "Ghi chú")

    static func form(_ form: Form) -> HTML {
        layout.page(
            title: "Ghi chú mới", currentPath: "/notes/new",
            main: form.render(submit: "Lưu") {
                form.text("title", label: "Tiêu đề")
                form.text("phone", label: "Số điện thoại", type: .tel)
            })
    }
}
