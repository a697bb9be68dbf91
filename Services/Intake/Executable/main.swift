import Foundation
import Intake
import ServiceKit

let environment = ProcessInfo.processInfo.environment
var intake = IntakeService(environment: environment)
do {
    intake.portal = try PortalSync.fromEnvironment(environment)
} catch {
    FileHandle.standardError.write(Data("motcua-intake: configuration error: \(error)\n".utf8))
    exit(2)
}
await ServiceMain.run(intake)
