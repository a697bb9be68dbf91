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
            """,
            data: calendarSeed(WorkingCalendar.vietnam2025to2027.entries))
    ])

    /// The seed as one INSERT whose rows travel as one bound JSON parameter. The migration's
    /// checksum covers those values: the seed of `WorkingCalendar.vietnam2025to2027` is frozen
    /// once landed, and a later correction or a new year is a new migration.
    static func calendarSeed(_ entries: [CalendarEntry]) -> Migration.DataStep {
        Migration.DataStep(
            """
            INSERT INTO working_calendar (day, kind, name, provisional)
            SELECT date, kind, name, provisional
            FROM jsonb_to_recordset($1::jsonb) AS seed(date date, kind text, name text, provisional boolean)
            """,
            [JSONB(entries)])
    }
}
