import Domain
import Events
import Foundation
import HTTP
import Postgres
import ServiceKit

/// A receipt's body (`POST /api/dossiers`, `POST /api/public/dossiers`): the procedure, the
/// applicant and each component, a document id or paper to be scanned. Every field is read as
/// optional so that one 422 names every missing or bad field at once.
struct ReceiptRequest: Decodable, Sendable {
    /// The longest value of each text field, in characters (as deploy/openapi/intake.yaml says).
    enum Limit {
        static let procedureCode = 64
        static let fullName = 200
        static let address = 500
        static let email = 254
        static let documentId = 200
        static let components = 100
    }

    struct ApplicantInput: Decodable, Sendable {
        var fullName: String?
        var cccd: String?
        var phone: String?
        var email: String?
        var address: String?
    }

    struct ComponentInput: Decodable, Sendable {
        var code: String?
        /// A document already in digitization's store; absent for paper to be scanned.
        var documentId: String?
    }

    var procedureCode: String?
    var channel: DossierChannel?
    var applicant: ApplicantInput?
    var components: [ComponentInput]?
    /// Staff filing an online dossier for a citizen at the centre (the online share is then
    /// reported both ways).
    var assisted: Bool?
}

/// Receiving a dossier: validation, the code, the clock, and the first events, in one transaction.
struct Receipt {
    let cache: CalendarCache

    /// Who receives: a staff member at the counter, or the citizen online.
    enum Receiver {
        case staff(StaffPrincipal)
        case citizen

        var actor: (id: String, name: String?) {
            switch self {
            case .staff(let principal): (principal.id, principal.name)
            case .citizen: ("citizen", nil)
            }
        }
    }

    /// Validates `request`, then receives it in `unit` as `receiver`; 422 listing every bad field.
    func receive(
        _ request: ReceiptRequest, channel: DossierChannel, receiver: Receiver, unit: String,
        context: ServiceRequestContext
    ) async throws -> DossierView {
        var errors = FieldErrors()
        let applicant = Self.validate(request.applicant, into: &errors)
        var procedureCode = request.procedureCode?.trimmingCharacters(in: .whitespaces) ?? ""
        if procedureCode.isEmpty {
            errors.add(field: "procedureCode", code: "required", detail: "Vui lòng chọn thủ tục hành chính.")
        } else if !errors.bound(procedureCode, field: "procedureCode", limit: ReceiptRequest.Limit.procedureCode) {
            procedureCode = ""
        }
        let now = context.clock.now
        return try await context.transaction(.unit(unit)) { tx in
            let found = procedureCode.isEmpty ? nil : try await ProcedureStore.procedure(code: procedureCode, in: tx)
            let procedure = found?.active == true ? found : nil
            if !procedureCode.isEmpty, procedure == nil {
                errors.add(
                    field: "procedureCode", code: "unknown_procedure",
                    detail: "Không có thủ tục mã “\(procedureCode.prefix(40))” trong danh mục.")
            }
            let components = procedure.map { Self.components(request.components ?? [], of: $0, into: &errors) } ?? []
            try errors.throwIfAny()
            guard let procedure, let applicant else { throw errors.problem }
            let clock = try await cache.clock(in: tx)
            let lifecycle = DossierLifecycle.new(channel: channel)
            let actor = receiver.actor
            var assistedBy: String?
            if case .staff(let principal) = receiver, channel == .online, request.assisted == true {
                assistedBy = principal.id
            }
            let record = DossierRecord(
                code: try await DossierStore.nextCode(unit: unit, at: now, in: tx), unitCode: unit,
                procedure: procedure.summary, sameDayCutoff: procedure.sameDayCutoff, channel: channel,
                assistedBy: assistedBy, lifecycle: lifecycle, applicant: applicant,
                submittedAt: lifecycle.status == .submitted ? now : nil,
                acceptanceDueAt: lifecycle.status == .submitted ? clock.acceptanceDue(submittedAt: now) : nil,
                acceptedLate: nil, receivedAt: lifecycle.status == .received ? now : nil,
                receivedBy: lifecycle.status == .received ? actor.id : nil,
                deadline: lifecycle.status == .received
                    ? clock.deadline(
                        receivedAt: now, processingDays: procedure.summary.processingDays,
                        procedureCutoff: procedure.sameDayCutoff) : nil,
                completedAt: nil, returnedAt: nil, resultDocumentId: nil, paperResult: false,
                feeDue: procedure.summary.fee + procedure.summary.charge, feePaid: .zero, paymentState: "none",
                delayExcluded: false)
            let step = DossierView.Step(
                at: now, action: lifecycle.status == .submitted ? "submit" : "receive", fromStatus: nil,
                toStatus: record.status, actor: actor.id, actorName: actor.name, reasonCode: nil, reason: nil)
            try await DossierStore.insert(record, components: components, firstStep: step, in: tx)
            try await DossierEvents.publishStatusChange(record, from: nil, actor: actor.id, at: now, in: tx)
            if record.status == .received {
                try await DossierEvents.publishReceived(record, components: components, in: tx)
            }
            if case .staff = receiver {
                try await context.audit("dossier.received", subject: record.code.value, in: tx)
            } else {
                try await tx.audit(
                    actor: .citizen(dossier: record.code), action: "dossier.submitted", subject: record.code.value,
                    requestId: context.requestId)
            }
            return DossierStore.view(record, components: components, timeline: [step], clock: clock, now: now)
        }
    }

    /// The applicant's fields checked one by one; nil when any is bad (each noted in `errors`).
    static func validate(_ input: ReceiptRequest.ApplicantInput?, into errors: inout FieldErrors) -> Applicant? {
        let input = input ?? ReceiptRequest.ApplicantInput()
        let name = (input.fullName ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty {
            errors.add(field: "applicant.fullName", code: "required", detail: "Vui lòng nhập họ và tên người nộp.")
        } else if name.count > ReceiptRequest.Limit.fullName {
            errors.add(
                field: "applicant.fullName", code: "too_long",
                detail: "Họ và tên dài quá \(ReceiptRequest.Limit.fullName) ký tự.")
        }
        var cccd: CitizenID?
        var phone: PhoneNumber?
        for (field, text, parse) in [
            ("applicant.cccd", input.cccd, { (text: String) throws in cccd = try CitizenID(parsing: text) }),
            ("applicant.phone", input.phone, { (text: String) throws in phone = try PhoneNumber(parsing: text) }),
        ] as [(String, String?, (String) throws -> Void)] {
            guard let text, !text.isEmpty else {
                errors.add(field: field, code: "required", detail: "Vui lòng nhập trường này.")
                continue
            }
            do {
                try parse(text)
            } catch let error as DomainError {
                errors.add(field: field, code: error.code, detail: error.message)
            } catch {
                errors.add(field: field, code: "invalid_format", detail: "Giá trị không hợp lệ.")
            }
        }
        let address = (input.address ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if address.isEmpty {
            errors.add(field: "applicant.address", code: "required", detail: "Vui lòng nhập địa chỉ.")
        } else {
            errors.bound(address, field: "applicant.address", limit: ReceiptRequest.Limit.address)
        }
        let email = input.email.flatMap { $0.isEmpty ? nil : $0 }
        if let email, !email.contains("@") || email.count > ReceiptRequest.Limit.email {
            errors.add(field: "applicant.email", code: "invalid_format", detail: "Địa chỉ thư điện tử không hợp lệ.")
        }
        guard let cccd, let phone, !name.isEmpty, !address.isEmpty, errors.isEmpty else { return nil }
        return Applicant(fullName: name, cccd: cccd.value, phone: phone.value, email: email, address: address)
    }

    /// The dossier's components: each one given must be the procedure's, every required one given.
    static func components(
        _ inputs: [ReceiptRequest.ComponentInput], of procedure: Procedure, into errors: inout FieldErrors
    ) -> [DossierView.Component] {
        var given: [String: String?] = [:]
        guard inputs.count <= ReceiptRequest.Limit.components else {
            errors.add(
                field: "components", code: "too_many",
                detail: "Nhiều nhất \(ReceiptRequest.Limit.components) thành phần hồ sơ.")
            return []
        }
        for (index, input) in inputs.enumerated() {
            if let documentId = input.documentId {
                errors.bound(
                    documentId, field: "components[\(index)].documentId", limit: ReceiptRequest.Limit.documentId)
            }
            guard let code = input.code, procedure.components.contains(where: { $0.code == code }) else {
                errors.add(
                    field: "components[\(index)].code", code: "unknown_component",
                    detail: "Thành phần hồ sơ này không thuộc thủ tục đã chọn.")
                continue
            }
            // updateValue: a paper component's nil document must stay in the dictionary.
            given.updateValue(input.documentId.flatMap { $0.isEmpty ? nil : $0 }, forKey: code)
        }
        let missing = procedure.components.filter { $0.required && given.index(forKey: $0.code) == nil }
        if !missing.isEmpty {
            errors.add(
                field: "components", code: "missing_component",
                detail: "Còn thiếu thành phần bắt buộc: " + missing.map(\.name).joined(separator: "; ") + ".")
        }
        return procedure.components.compactMap { component in
            guard let index = given.index(forKey: component.code) else { return nil }
            let documentId = given[index].value
            return DossierView.Component(
                code: component.code, name: component.name, required: component.required, documentId: documentId,
                reused: false)
        }
    }
}

extension FieldErrors {
    /// The 422 these errors make (for a caller that must throw even when none was noted).
    var problem: ProblemError {
        ProblemError.unprocessable(detail: "Dữ liệu hồ sơ không hợp lệ.", errors: all)
    }
}
