import Messages
import RPC

/// Seeding in stages per business, each stage's calls in parallel once the stage before is
/// acknowledged: 0 the business, 1 the introduction and the reviewer, 2 the reviews, 3 requests
/// that will expire (only when the mix reminds and the server has a test clock), then — after
/// the clock was advanced — 4 pending requests.
extension WorkflowLoad {
    /// Calls in `stage` of `business`.
    func stageSize(_ stage: Int) -> Int {
        switch stage {
        case 0: return 1
        case 1: return 2
        case 2: return self.settings.seedReviews
        case 3: return self.settings.seedExpired
        case 4: return self.settings.seedPending
        default: return 0
        }
    }

    /// The last stage of the current phase, plus one.
    private var phaseEnd: Int { self.phase == .seed ? 4 : 5 }

    func nextSeedCall() -> LoadCall? {
        guard self.seedFailure == nil else { return nil }
        for _ in 0..<self.businesses.count {
            let business = self.businesses[self.cursor]
            self.cursor = (self.cursor + 1) % self.businesses.count
            self.skipEmptyStages(business)
            guard business.stage < self.phaseEnd, business.stageSent < self.stageSize(business.stage) else { continue }
            business.stageSent += 1
            return self.seedCall(business, number: business.stageSent - 1)
        }
        return nil
    }

    private func skipEmptyStages(_ business: LoadBusiness) {
        while business.stage < self.phaseEnd && self.stageSize(business.stage) == 0 {
            business.stage += 1
            business.stageSent = 0
            business.stageAcknowledged = 0
        }
    }

    private func seedCall(_ business: LoadBusiness, number: Int) -> LoadCall {
        switch business.stage {
        case 0:
            let message = UpsertBusinessRequest(
                business: Business(
                    id: business.id, displayName: "Load business \(business.index)", notificationEmail: "b\(business.index)@load.example",
                    locale: "en", plan: .paid))
            return self.call(.upsertBusiness, self.encoder.frame(.upsertBusiness, message), business: business)
        case 1 where number == 0:
            let message = AcknowledgeIntroductionRequest(businessId: business.id)
            return self.call(.acknowledgeIntroduction, self.encoder.frame(.acknowledgeIntroduction, message), business: business)
        case 1:
            return self.upsertReviewer(business, number: 0)
        case 2:
            return self.publishReview(business)
        default:
            var call = self.createRequest(business)!
            if business.stage == 3 { business.requests[Int(call.entity)].seededToExpire = true }
            call.detail = 1
            return call
        }
    }

    func seedFinished(_ call: LoadCall, _ outcome: LoadOutcome) {
        guard outcome.status == .ok else {
            if self.seedFailure == nil { self.seedFailure = (outcome.status, "\(call.operation.name): \(outcome.message)") }
            return
        }
        let business = self.businesses[Int(call.business)]
        self.applied(call, outcome)
        business.stageAcknowledged += 1
        if business.stageAcknowledged == self.stageSize(business.stage) {
            business.stage += 1
            business.stageSent = 0
            business.stageAcknowledged = 0
        }
    }
}
