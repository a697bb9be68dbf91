import Domain
import Foundation

/// A dossier as staff see it (`GET /api/dossiers/{code}` and every action's answer): its status,
/// clock, applicant, components, fees, timeline and the actions its status allows now.
struct DossierView: Encodable, Sendable {
    struct Applicant: Encodable, Sendable {
        let fullName: String
        let cccd: String
        let phone: String
        let email: String?
        let address: String
    }

    struct Component: Encodable, Sendable {
        let code: String
        let name: String
        let required: Bool
        /// The document in digitization's store; absent while the paper waits to be scanned.
        let documentId: String?
        let reused: Bool
    }

    struct Step: Encodable, Sendable {
        let at: Date
        let action: String
        let fromStatus: DossierStatus?
        let toStatus: DossierStatus
        let actor: String
        let actorName: String?
        let reasonCode: String?
        let reason: String?
    }

    let code: DossierCode
    let status: DossierStatus
    let channel: DossierChannel
    let assistedBy: String?
    let procedureCode: String
    let procedureName: String
    let applicant: Applicant
    let submittedAt: Date?
    /// When an online submission must be accepted by (8 working hours).
    let acceptanceDueAt: Date?
    let acceptedLate: Bool?
    let receivedAt: Date?
    /// The date promised to the citizen: an apology's new date, else the due date.
    let appointmentDate: LocalDate?
    let dueDate: LocalDate?
    let deadlineState: DeadlineState?
    let paused: Bool
    let completedAt: Date?
    let returnedAt: Date?
    let resultDocumentId: String?
    let paperResult: Bool
    let feeDue: Money
    let feePaid: Money
    let paymentState: String
    let delayExcluded: Bool
    let components: [Component]
    let timeline: [Step]
    let allowedActions: [String]
}

/// One row of a list of dossiers (`GET /api/dossiers`): enough for the queue's line and colour.
struct DossierSummary: Encodable, Sendable {
    let code: DossierCode
    let status: DossierStatus
    let channel: DossierChannel
    let procedureCode: String
    let procedureName: String
    let applicantName: String
    let receivedAt: Date?
    let appointmentDate: LocalDate?
    let acceptanceDueAt: Date?
    let deadlineState: DeadlineState?
    /// An online submission waiting past its 8 working hours.
    let acceptanceLate: Bool
}

/// What the public lookup shows (`GET /api/public/dossiers/{code}`): nothing personal.
struct PublicDossierView: Encodable, Sendable {
    let code: DossierCode
    let status: DossierStatus
    let statusName: String
    let procedureName: String
    let appointmentDate: LocalDate?
    /// What the citizen must still bring or send, when completion was asked for.
    let missing: [String]
    let supplementReason: String?
    let feeOutstanding: Money
    let canRate: Bool
}
