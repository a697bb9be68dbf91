import Domain
import Testing

@Suite struct DossierLifecycleTests {
    /// What an action does: lead to a status, or fail with a code.
    enum Result: Equatable, CustomStringConvertible {
        case to(DossierStatus)
        case fails(String)

        var description: String {
            switch self {
            case .to(let status): "→ \(status.rawValue)"
            case .fails(let code): "✗ \(code)"
            }
        }
    }

    /// Facts under which every conditional action is possible: nothing to pay, the dossier overdue.
    static let permissive = DossierLifecycle.Facts(feeOutstanding: false, deadline: .overdue)

    /// A lifecycle in `status` whose supplement, when it waits for one, was asked for while in progress.
    static func lifecycle(_ status: DossierStatus) -> DossierLifecycle {
        try! DossierLifecycle(
            status: status, supplementRequestedFrom: status == .supplementRequested ? .inProgress : nil)
    }

    /// The whole machine under permissive facts: for each status, the actions that succeed; all others are illegal.
    static let machine: [DossierStatus: [DossierAction: DossierStatus]] = [
        .submitted: [
            .accept: .received, .requestSupplement: .supplementRequested, .refuse: .refused, .withdraw: .withdrawn,
        ],
        .received: [
            .start: .inProgress, .requestSupplement: .supplementRequested, .refuse: .refused, .withdraw: .withdrawn,
            .apologise: .received, .excludeDelay: .received,
        ],
        .inProgress: [
            .requestSupplement: .supplementRequested, .refuse: .refused, .withdraw: .withdrawn, .complete: .completed,
            .apologise: .inProgress, .excludeDelay: .inProgress,
        ],
        .supplementRequested: [
            .supplement: .inProgress, .refuse: .refused, .withdraw: .withdrawn,
            .apologise: .supplementRequested, .excludeDelay: .supplementRequested,
        ],
        .completed: [.returnResult: .returned, .apologise: .completed, .excludeDelay: .completed],
        .returned: [.excludeDelay: .returned],
        .refused: [:],
        .withdrawn: [:],
    ]

    static func apply(_ action: DossierAction, to lifecycle: DossierLifecycle, facts: DossierLifecycle.Facts) -> Result
    {
        do {
            return .to(try lifecycle.applying(action, facts: facts).status)
        } catch let error as DomainError {
            return .fails(error.code)
        } catch {
            return .fails("unexpected \(error)")
        }
    }

    // MARK: The table

    @Test(arguments: DossierStatus.allCases, DossierAction.allCases)
    func everyStatusAndActionPairFollowsTheMachine(status: DossierStatus, action: DossierAction) {
        let expected = Self.machine[status]![action].map(Result.to) ?? .fails("illegal_transition")
        #expect(Self.apply(action, to: Self.lifecycle(status), facts: Self.permissive) == expected)
    }

    @Test(arguments: DossierStatus.allCases, DossierAction.allCases)
    func everyRefusedStepIsAConflictNamingTheCurrentStatus(status: DossierStatus, action: DossierAction) {
        for facts in [Self.permissive, .init(feeOutstanding: true, deadline: nil)] {
            do {
                _ = try Self.lifecycle(status).applying(action, facts: facts)
            } catch let error as DomainError {
                #expect(error.kind == .conflict)
                #expect(error.message.contains("“\(status.vietnameseName)”"))
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test func anIllegalStepSaysWhatCannotBeDoneInVietnamese() throws {
        let error = #expect(throws: DomainError.self) {
            try Self.lifecycle(.returned).applying(.requestSupplement, facts: Self.permissive)
        }
        #expect(error?.code == "illegal_transition")
        #expect(error?.message == "Hồ sơ đang ở trạng thái “đã trả kết quả”, không thể yêu cầu bổ sung hồ sơ.")
    }

    // MARK: Beginnings

    @Test func anOnlineSubmissionStartsSubmittedAndOthersStartReceived() {
        #expect(DossierLifecycle.new(channel: .online).status == .submitted)
        #expect(DossierLifecycle.new(channel: .counter).status == .received)
        #expect(DossierLifecycle.new(channel: .post).status == .received)
        #expect(DossierLifecycle.new(channel: .online).supplementRequestedFrom == nil)
    }

    @Test func aWholeLifeAtTheCounterEndsReturned() throws {
        var lifecycle = DossierLifecycle.new(channel: .counter)
        for action in [DossierAction.start, .requestSupplement, .supplement, .complete, .returnResult] {
            lifecycle = try lifecycle.applying(action, facts: Self.permissive)
        }
        #expect(lifecycle.status == .returned)
        #expect(lifecycle.supplementRequestedFrom == .inProgress)
    }

    // MARK: The one supplement request

    @Test(arguments: [DossierStatus.submitted, .received, .inProgress])
    func aSupplementRequestRemembersWhereItWasMade(source: DossierStatus) throws {
        let requested = try Self.lifecycle(source).applying(.requestSupplement, facts: Self.permissive)
        #expect(requested.status == .supplementRequested)
        #expect(requested.supplementRequestedFrom == source)
    }

    @Test func aSupplementAfterAcceptanceResumesProcessing() throws {
        for source in [DossierStatus.received, .inProgress] {
            let waiting = try DossierLifecycle(status: .supplementRequested, supplementRequestedFrom: source)
            #expect(try waiting.applying(.supplement, facts: Self.permissive).status == .inProgress)
        }
    }

    @Test func aSupplementToAnUnacceptedSubmissionSendsItBackToAcceptance() throws {
        let asked = try DossierLifecycle.new(channel: .online).applying(.requestSupplement, facts: Self.permissive)
        let supplemented = try asked.applying(.supplement, facts: Self.permissive)
        #expect(supplemented.status == .submitted)
        #expect(try supplemented.applying(.accept, facts: Self.permissive).status == .received)
        #expect(try supplemented.applying(.refuse, facts: Self.permissive).status == .refused)
    }

    @Test func aSupplementIsRequestedOnlyOnce() throws {
        let facts = Self.permissive
        let resubmitted = try DossierLifecycle.new(channel: .online).applying(.requestSupplement, facts: facts)
            .applying(.supplement, facts: facts)
        let inProgress = try DossierLifecycle.new(channel: .counter).applying(.requestSupplement, facts: facts)
            .applying(.supplement, facts: facts)
        for lifecycle in [resubmitted, try resubmitted.applying(.accept, facts: facts), inProgress] {
            let error = #expect(throws: DomainError.self) { try lifecycle.applying(.requestSupplement, facts: facts) }
            #expect(error?.code == "supplement_already_requested")
            #expect(error?.kind == .conflict)
        }
    }

    // MARK: Return and fees

    @Test func aResultIsReturnedOnlyOnceNoFeeIsOutstanding() throws {
        let completed = Self.lifecycle(.completed)
        let unpaid = DossierLifecycle.Facts(feeOutstanding: true, deadline: .onTrack)
        let error = #expect(throws: DomainError.self) { try completed.applying(.returnResult, facts: unpaid) }
        #expect(error?.code == "fee_outstanding")
        #expect(error?.message.contains("“đã có kết quả”") == true)
        let paid = DossierLifecycle.Facts(feeOutstanding: false, deadline: .onTrack)
        #expect(try completed.applying(.returnResult, facts: paid).status == .returned)
    }

    // MARK: Apologies and exclusions

    @Test(arguments: [DossierStatus.received, .inProgress, .supplementRequested], DossierAction.lateActions)
    func aPendingDossierIsApologisedForOnceDueSoonOrOverdue(status: DossierStatus, action: DossierAction) {
        let outcomes = [nil, DeadlineState.onTrack, .dueSoon, .overdue].map { deadline in
            Self.apply(action, to: Self.lifecycle(status), facts: .init(feeOutstanding: false, deadline: deadline))
        }
        #expect(outcomes == [.fails("dossier_not_late"), .fails("dossier_not_late"), .to(status), .to(status)])
    }

    @Test(arguments: DossierAction.lateActions)
    func aCompletedDossierIsApologisedForOnlyWhenFinishedLate(action: DossierAction) {
        let outcomes = [DeadlineState.onTrack, .dueSoon, .overdue].map { deadline in
            Self.apply(action, to: Self.lifecycle(.completed), facts: .init(feeOutstanding: true, deadline: deadline))
        }
        #expect(outcomes == [.fails("dossier_not_late"), .fails("dossier_not_late"), .to(.completed)])
    }

    @Test func aReturnedDossierTakesAnExclusionWhenFinishedLateButNoApology() {
        let returned = Self.lifecycle(.returned)
        let onTime = DossierLifecycle.Facts(feeOutstanding: false, deadline: .dueSoon)
        #expect(Self.apply(.excludeDelay, to: returned, facts: onTime) == .fails("dossier_not_late"))
        #expect(Self.apply(.excludeDelay, to: returned, facts: Self.permissive) == .to(.returned))
        #expect(Self.apply(.apologise, to: returned, facts: Self.permissive) == .fails("illegal_transition"))
    }

    @Test func aSubmittedDossierHasNoDeadlineToApologiseFor() {
        #expect(
            Self.apply(.apologise, to: Self.lifecycle(.submitted), facts: Self.permissive)
                == .fails("illegal_transition"))
    }

    // MARK: Reading back and the page's buttons

    @Test func aStoredLifecycleMustBeConsistent() throws {
        #expect(throws: DomainError.self) {
            try DossierLifecycle(status: .supplementRequested, supplementRequestedFrom: nil)
        }
        #expect(throws: DomainError.self) {
            try DossierLifecycle(status: .inProgress, supplementRequestedFrom: .completed)
        }
        #expect(throws: DomainError.self) {
            try DossierLifecycle(status: .submitted, supplementRequestedFrom: .received)
        }
        let error = #expect(throws: DomainError.self) {
            try DossierLifecycle(status: .supplementRequested, supplementRequestedFrom: .supplementRequested)
        }
        #expect(error?.code == "invalid_lifecycle")
        #expect(try DossierLifecycle(status: .submitted, supplementRequestedFrom: .submitted).status == .submitted)
        #expect(try DossierLifecycle(status: .returned, supplementRequestedFrom: .received).status == .returned)
    }

    @Test func theAllowedActionsAreTheButtonsOfTheDossiersPage() {
        let onTrack = DossierLifecycle.Facts(feeOutstanding: false, deadline: .onTrack)
        #expect(
            Self.lifecycle(.submitted).allowedActions(facts: onTrack) == [
                .accept, .requestSupplement, .refuse, .withdraw,
            ])
        #expect(
            Self.lifecycle(.inProgress).allowedActions(facts: onTrack) == [
                .requestSupplement, .refuse, .withdraw, .complete,
            ])
        #expect(
            Self.lifecycle(.inProgress).allowedActions(facts: Self.permissive)
                == [.requestSupplement, .refuse, .withdraw, .complete, .apologise, .excludeDelay])
        #expect(Self.lifecycle(.completed).allowedActions(facts: .init(feeOutstanding: true, deadline: .onTrack)) == [])
        #expect(Self.lifecycle(.withdrawn).allowedActions(facts: Self.permissive) == [])
    }
}

extension DossierAction {
    /// The two actions that need a dossier at risk.
    static let lateActions: [DossierAction] = [.apologise, .excludeDelay]
}
