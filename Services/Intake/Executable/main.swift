import Foundation
import Intake
import ServiceKit

var intake = IntakeService()
do {
    intake.portal = try PortalSync.fromEnvironment(ProcessInfo.processInfo.environment)
} catch {
    FileHandle.standardError.write(Data("motcua-intake: configuration error: \(error)\n".utf8))
    exit(2)
}
await ServiceMain.run(intake)
