import Payment
import ServiceKit

await ServiceMain.run(PaymentService())
