import Domain
import Postgres
import ServiceKit

/// The intake schema's migrations, in order; append, never edit.
enum IntakeSchema {
    static let migrations: [Migration] = ToolkitSchema.followed(by: [
        Migration(
            3, "working_calendar",
            """
            CREATE TABLE working_calendar (
                day date PRIMARY KEY,
                kind text NOT NULL CHECK (kind IN ('holiday', 'make_up_working_day')),
                name text NOT NULL,
                provisional boolean NOT NULL DEFAULT false,
                CHECK (kind = 'holiday' OR extract(isodow FROM day) IN (6, 7))
            );
            COMMENT ON TABLE working_calendar IS
                'Days that differ from Monday-Friday (DOMAIN §3): holidays and make-up working days. Seeded 2025-2027, edited by an admin.';
            \(seedRows(WorkingCalendar.vietnam2025to2027.entries))
            """)
    ])

    /// The seed as one INSERT. The migration's text, and so its checksum, is derived from
    /// `WorkingCalendar.vietnam2025to2027`: that seed is frozen once landed, and a later
    /// correction or a new year is a new migration.
    static func seedRows(_ entries: [CalendarEntry]) -> String {
        let values = entries.map { entry in
            let name = entry.name.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''")
            return "('\(entry.date.iso)', '\(entry.kind.rawValue)', '\(name)', \(entry.provisional))"
        }
        return "INSERT INTO working_calendar (day, kind, name, provisional) VALUES\n    "
            + values.joined(separator: ",\n    ") + ";"
    }
}
