import Postgres
import ServiceKit

/// The communication schema's migrations, in order; append, never edit.
enum CommunicationSchema {
    static let migrations: [Migration] = ToolkitSchema.migrations
}
