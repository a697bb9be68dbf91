import Digitization
import ServiceKit

await ServiceMain.run(DigitizationService())
