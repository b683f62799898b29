import Credentials
@testable import FindReviewerDomain

/// A small world: two businesses, two reviewers, reviews of every source; time starts at `t0`.
struct World {
    static let t0: UnixSeconds = 1_790_000_000
    static let hour: UnixSeconds = 3_600
    static let day: UnixSeconds = 24 * 3_600

    var state = DomainState()
    var now: UnixSeconds = World.t0
    var tokens: [String] = []

    /// An empty world under `settings`.
    init(settings: DomainSettings = DomainSettings()) { self.state = DomainState(settings: settings) }

    /// Builds the world through commands, as the pipeline would.
    static func make(acknowledged: Bool = true, settings: DomainSettings = DomainSettings()) -> World {
        var world = World(settings: settings)
        world.must(.upsertBusiness(Business(id: "acme", displayName: "Acme Travel", notificationEmail: "fr@acme.example", locale: "sv-SE")))
        world.must(.upsertBusiness(Business(id: "other", displayName: "Other Shop", notificationEmail: "ops@other.example", locale: "de")))
        world.must(.upsertReviewer(Reviewer(id: "ann", displayName: "Ann", email: "ann@mail.example", locale: "en")))
        world.must(.upsertReviewer(Reviewer(id: "bo", displayName: "Bo", email: "bo@mail.example", locale: "sv")))
        world.must(.publishReview(Self.makeReview(id: "r-organic", source: .organic)))
        world.must(.publishReview(Self.makeReview(id: "r-invited", source: .businessInvitation, reviewer: "bo")))
        world.must(.publishReview(Self.makeReview(id: "r-platform", source: .platformInvitation)))
        world.must(.publishReview(Self.makeReview(id: "r-other", business: "other", source: .organic)))
        if acknowledged {
            world.must(.acknowledgeIntroduction(businessId: "acme"))
            world.must(.acknowledgeIntroduction(businessId: "other"))
        }
        return world
    }

    static func makeReview(
        id: String, business: String = "acme", source: ReviewSource, reviewer: String = "ann", rating: Int = 2
    ) -> Review {
        Review(
            id: id, businessId: business, reviewerId: reviewer, rating: rating, title: "Title of \(id)",
            text: "Text of \(id)", experienceDate: "2026-11-01", createdAt: World.t0 - World.day, source: source)
    }

    static func makeCreate(
        business: String = "acme", review: String = "r-organic", fields: [RequestedField] = [.referenceNumber, .fullName],
        label: String = "Booking number", acknowledge: Bool = false, key: String? = nil, token: String? = nil,
        skipBusinessEmails: Bool = false
    ) -> DomainCommand {
        .createRequest(
            .init(
                businessId: business, reviewId: review, message: "Hello! Could you share your booking number?",
                requestedFields: fields, referenceLabel: label, acknowledgeIntroduction: acknowledge, idempotencyKey: key,
                token: token ?? TokenSource.shared.next(), skipBusinessNotificationEmail: skipBusinessEmails))
    }

    /// Executes and applies; returns the events.
    @discardableResult
    mutating func run(_ command: DomainCommand) throws(DomainError) -> [DomainEvent] {
        let events = try self.state.execute(command, now: self.now)
        self.state.apply(events)
        return events
    }

    /// Executes a command that must succeed.
    @discardableResult
    mutating func must(_ command: DomainCommand) -> [DomainEvent] {
        do {
            return try self.run(command)
        } catch {
            fatalError("\(command) failed: \(error)")
        }
    }

    /// Creates a request and returns (id, token).
    mutating func create(review: String = "r-organic", business: String = "acme", skipBusinessEmails: Bool = false) -> (id: String, token: String) {
        let token = TokenSource.shared.next()
        let events = self.must(Self.makeCreate(business: business, review: review, token: token, skipBusinessEmails: skipBusinessEmails))
        guard case .requestCreated(let created) = events.last! else { fatalError("no requestCreated") }
        return (created.requestId, token)
    }

    /// Moves the clock and applies every due transition, as the server's timer does.
    mutating func advance(to time: UnixSeconds) -> [DomainEvent] {
        self.now = time
        var events: [DomainEvent] = []
        for due in self.state.dueTransitions(at: time) {
            events += self.must(due.command)
        }
        return events
    }

    /// The error a command throws, or nil when it succeeds (and is applied).
    mutating func failure(_ command: DomainCommand) -> DomainError? {
        do {
            try self.run(command)
            return nil
        } catch {
            return error
        }
    }

    /// Replays every event of `log` into a fresh state.
    static func replay(_ log: [DomainEvent], settings: DomainSettings = DomainSettings()) -> DomainState {
        var state = DomainState(settings: settings)
        state.apply(log)
        return state
    }

    /// The state rebuilt from its snapshot items, in the order they are written (a restart).
    static func restored(_ state: DomainState) -> DomainState {
        var restorer = SnapshotRestorer(settings: state.settings)
        state.forEachSnapshotItem { restorer.add($0) }
        return restorer.finish()
    }

    /// The kinds of the outbox entries about one request, oldest first.
    func emailKinds(of requestId: String) -> [NotificationKind] {
        self.state.outbox.values.filter { $0.requestId == requestId }.map(\.kind)
    }
}
