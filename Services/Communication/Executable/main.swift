import Communication
import ServiceKit

await ServiceMain.run(CommunicationService())
