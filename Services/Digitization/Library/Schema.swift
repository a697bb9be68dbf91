import Postgres
import ServiceKit

/// The digitization schema's migrations, in order; append, never edit.
enum DigitizationSchema {
    static let migrations: [Migration] = ToolkitSchema.migrations
}
