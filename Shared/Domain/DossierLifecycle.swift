/// A dossier's place in the status machine (DOMAIN §2): its status and what the machine must remember of
/// its past — whether its one supplement request was made, and from which status.
///
/// The machine, for each action (any other pair is `illegal_transition`):
///
/// | action | from | to |
/// |---|---|---|
/// | accept | submitted | received |
/// | start | received | in_progress |
/// | request-supplement | submitted, received, in_progress — once per dossier | supplement_requested |
/// | supplement | supplement_requested | in_progress; submitted when it was asked for at acceptance |
/// | refuse | submitted, received, in_progress, supplement_requested | refused |
/// | withdraw | submitted, received, in_progress, supplement_requested | withdrawn |
/// | complete | in_progress | completed |
/// | return | completed, once no fee is outstanding | returned |
/// | apologise, exclude-delay | a dossier late or at risk (below) | unchanged |
///
/// Decisions the regulations leave open, taken here:
/// - A supplement to an online submission that was asked for completion before acceptance puts it back to
///   `submitted`: the completed file waits for a receptionist again (as on the national portal, where a
///   supplemented submission returns to "chờ tiếp nhận"), so `accept` stays the one step that starts the
///   deadline clock; the receptionist can then accept or refuse it, not ask again.
/// - Withdrawal stops processing (TT 03/2025's stop notice), so it applies while the dossier is pending
///   (submitted, received, in progress, waiting for a supplement); a completed dossier has nothing left to stop.
/// - Apology and delay exclusion need a deadline at risk: a pending dossier (received, in progress, waiting for a
///   supplement) whose deadline state is due-soon or overdue — NĐ 61/2018 wants the apology sent at the latest one
///   day before the due date —, or a completed one that was finished late (not yet returned, for an apology; also
///   once returned, for an exclusion whose evidence arrives afterwards). A submitted dossier has no deadline yet.
public struct DossierLifecycle: Hashable, Sendable {
    /// Where the dossier stands.
    public let status: DossierStatus
    /// The status the dossier was in when its one supplement request was made, or nil when none was made.
    public let supplementRequestedFrom: DossierStatus?

    /// The facts outside the status that some actions depend on; the service reads them from the dossier's row.
    public struct Facts: Hashable, Sendable {
        /// Whether a fee is due and not yet paid; `return` waits for it.
        public var feeOutstanding: Bool
        /// For a pending dossier, its deadline state now; for a completed or returned one, its state at
        /// completion (`overdue` exactly when it was finished late); nil before acceptance.
        public var deadline: DeadlineState?

        /// The facts of one dossier.
        public init(feeOutstanding: Bool, deadline: DeadlineState?) {
            self.feeOutstanding = feeOutstanding
            self.deadline = deadline
        }
    }

    /// The statuses a supplement may be requested from.
    public static let supplementSources: Set<DossierStatus> = [.submitted, .received, .inProgress]

    /// A lifecycle read back from storage; throws `invalid_lifecycle` when the two parts contradict each other
    /// (a dossier waiting for a supplement that was never requested, or one requested from a status that allows none).
    public init(status: DossierStatus, supplementRequestedFrom: DossierStatus?) throws {
        let consistent: Bool =
            if let source = supplementRequestedFrom {
                Self.supplementSources.contains(source) && (status != .submitted || source == .submitted)
            } else {
                status != .supplementRequested
            }
        guard consistent else {
            throw DomainError(
                code: "invalid_lifecycle",
                message: "Trạng thái “\(status.vietnameseName)” không khớp với lịch sử yêu cầu bổ sung của hồ sơ.")
        }
        self.status = status
        self.supplementRequestedFrom = supplementRequestedFrom
    }

    private init(uncheckedStatus status: DossierStatus, supplementRequestedFrom: DossierStatus?) {
        self.status = status
        self.supplementRequestedFrom = supplementRequestedFrom
    }

    /// A new dossier's lifecycle: an online submission waits for acceptance (`submitted`); a dossier received at
    /// the counter or by post is `received` at once.
    public static func new(channel: DossierChannel) -> DossierLifecycle {
        DossierLifecycle(
            uncheckedStatus: channel == .online ? .submitted : .received, supplementRequestedFrom: nil)
    }

    /// The lifecycle after `action`, or a `.conflict` error naming the current status: `illegal_transition` when
    /// the status does not allow the action, `supplement_already_requested` for a second supplement request,
    /// `fee_outstanding` for a return before payment, `dossier_not_late` for an apology or exclusion of a dossier
    /// on track.
    public func applying(_ action: DossierAction, facts: Facts) throws -> DossierLifecycle {
        let pending: Set<DossierStatus> = [.submitted, .received, .inProgress, .supplementRequested]
        switch (action, status) {
        case (.accept, .submitted):
            return moving(to: .received)
        case (.start, .received):
            return moving(to: .inProgress)
        case (.requestSupplement, let source) where Self.supplementSources.contains(source):
            guard supplementRequestedFrom == nil else {
                throw refusal(
                    "supplement_already_requested",
                    "hồ sơ đã được yêu cầu bổ sung một lần; mỗi hồ sơ chỉ được yêu cầu bổ sung một lần")
            }
            return DossierLifecycle(uncheckedStatus: .supplementRequested, supplementRequestedFrom: source)
        case (.supplement, .supplementRequested):
            return moving(to: supplementRequestedFrom == .submitted ? .submitted : .inProgress)
        case (.refuse, let current) where pending.contains(current):
            return moving(to: .refused)
        case (.withdraw, let current) where pending.contains(current):
            return moving(to: .withdrawn)
        case (.complete, .inProgress):
            return moving(to: .completed)
        case (.returnResult, .completed):
            guard !facts.feeOutstanding else {
                throw refusal("fee_outstanding", "phí, lệ phí của hồ sơ chưa được thanh toán")
            }
            return moving(to: .returned)
        case (.apologise, .received), (.apologise, .inProgress), (.apologise, .supplementRequested),
            (.excludeDelay, .received), (.excludeDelay, .inProgress), (.excludeDelay, .supplementRequested):
            guard facts.deadline == .dueSoon || facts.deadline == .overdue else {
                throw refusal("dossier_not_late", "hồ sơ còn trong hạn, chưa sắp đến hạn")
            }
            return self
        case (.apologise, .completed), (.excludeDelay, .completed), (.excludeDelay, .returned):
            guard facts.deadline == .overdue else {
                throw refusal("dossier_not_late", "hồ sơ đã được giải quyết đúng hạn")
            }
            return self
        default:
            throw DomainError(
                code: "illegal_transition",
                message: "Hồ sơ đang ở trạng thái “\(status.vietnameseName)”, không thể \(action.vietnameseName).",
                kind: .conflict)
        }
    }

    /// The actions `applying(_:facts:)` accepts now, in `DossierAction.allCases` order: the buttons a dossier's page shows.
    public func allowedActions(facts: Facts) -> [DossierAction] {
        DossierAction.allCases.filter { (try? applying($0, facts: facts)) != nil }
    }

    private func moving(to next: DossierStatus) -> DossierLifecycle {
        DossierLifecycle(uncheckedStatus: next, supplementRequestedFrom: supplementRequestedFrom)
    }

    /// A `.conflict` error: "Hồ sơ đang ở trạng thái “…”: <why>."
    private func refusal(_ code: String, _ why: String) -> DomainError {
        DomainError(
            code: code, message: "Hồ sơ đang ở trạng thái “\(status.vietnameseName)”: \(why).", kind: .conflict)
    }
}
