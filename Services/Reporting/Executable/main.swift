import Reporting
import ServiceKit

await ServiceMain.run(ReportingService())
