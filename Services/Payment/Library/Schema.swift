import Postgres
import ServiceKit

/// The payment schema's migrations, in order; append, never edit.
enum PaymentSchema {
    static let migrations: [Migration] = ToolkitSchema.migrations
}
