import Postgres
import ServiceKit

/// The reporting schema's migrations, in order; append, never edit.
enum ReportingSchema {
    static let migrations: [Migration] = ToolkitSchema.migrations
}
