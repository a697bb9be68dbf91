import Foundation
import Intake
import ServiceKit

await ServiceMain.run(IntakeService(environment: ProcessInfo.processInfo.environment))
