import Foundation

/// One kind of call the load tool can make, always doing valid work on data it seeded itself.
public enum LoadOperation: Int, CaseIterable, Sendable, Hashable, Comparable {
    case getBusiness
    case getReview
    case listReviews
    case getInfoRequest
    case listInfoRequests
    case getTimeline
    case getPublicReview
    case viewRequestByToken
    case check
    case upsertReviewer
    case publishReview
    case createInfoRequest
    case withdrawInfoRequest
    case replyToRequest
    case declineRequest
    case openReply
    case sendManualReminder
    case setPublicReply
    case createReport
    // Not in mixes: the setup and the verification of a run.
    case upsertBusiness
    case acknowledgeIntroduction
    case getReviewer
    case listReports

    /// The method's short name, e.g. `GetReview`.
    public var name: String {
        switch self {
        case .getBusiness: return "GetBusiness"
        case .getReview: return "GetReview"
        case .listReviews: return "ListReviews"
        case .getInfoRequest: return "GetInfoRequest"
        case .listInfoRequests: return "ListInfoRequests"
        case .getTimeline: return "GetTimeline"
        case .getPublicReview: return "GetPublicReview"
        case .viewRequestByToken: return "ViewRequestByToken"
        case .check: return "Check"
        case .upsertReviewer: return "UpsertReviewer"
        case .publishReview: return "PublishReview"
        case .createInfoRequest: return "CreateInfoRequest"
        case .withdrawInfoRequest: return "WithdrawInfoRequest"
        case .replyToRequest: return "ReplyToRequest"
        case .declineRequest: return "DeclineRequest"
        case .openReply: return "OpenReply"
        case .sendManualReminder: return "SendManualReminder"
        case .setPublicReply: return "SetPublicReply"
        case .createReport: return "CreateReport"
        case .upsertBusiness: return "UpsertBusiness"
        case .acknowledgeIntroduction: return "AcknowledgeIntroduction"
        case .getReviewer: return "GetReviewer"
        case .listReports: return "ListReports"
        }
    }

    /// The full method name.
    public var method: String {
        self == .check ? "findreviewer.v1.Health/Check" : "findreviewer.v1.FindReviewer/" + self.name
    }

    /// Operations a `--mix` may name (setup and verification calls are not among them).
    public static let mixable: [LoadOperation] = allCases.filter { $0.rawValue <= LoadOperation.createReport.rawValue }

    /// The operation of a short or full method name, if a mix may name it.
    public init?(name: String) {
        let short = name.split(separator: "/").last.map(String.init) ?? name
        guard let operation = Self.mixable.first(where: { $0.name == short }) else { return nil }
        self = operation
    }

    /// Whether it changes state (and so waits for the journal's fsync).
    public var isWrite: Bool {
        switch self {
        case .upsertReviewer, .publishReview, .createInfoRequest, .withdrawInfoRequest, .replyToRequest, .declineRequest, .openReply,
            .sendManualReminder, .setPublicReply, .createReport, .upsertBusiness, .acknowledgeIntroduction:
            return true
        default: return false
        }
    }

    /// Whether it needs a reviewer's reply token, which a local run reads from the server's outbox.
    public var needsToken: Bool { [.viewRequestByToken, .replyToRequest, .declineRequest, .openReply].contains(self) }

    /// What it does, for `--help`.
    var explanation: String {
        switch self {
        case .getBusiness: return "a seeded business"
        case .getReview: return "a review, business view"
        case .listReviews: return "first page (20) of the business's reviews"
        case .getInfoRequest: return "one of the business's requests"
        case .listInfoRequests: return "first page (20) of the business's requests"
        case .getTimeline: return "one request's timeline"
        case .getPublicReview: return "a review's public page"
        case .viewRequestByToken: return "the reviewer's page of an answered or declined request, by token (else GetPublicReview)"
        case .check: return "Health/Check, the cheapest call (a baseline)"
        case .upsertReviewer: return "renames the business's reviewer"
        case .publishReview: return "a new review"
        case .createInfoRequest: return "a request on a review without an open one (else publishes one first), with an idempotency-key"
        case .withdrawInfoRequest: return "withdraws a pending request (else creates one)"
        case .replyToRequest: return "the reviewer replies by token (else creates a request)"
        case .declineRequest: return "the reviewer declines by token (else creates a request)"
        case .openReply: return "the business opens a reply (else a reviewer replies)"
        case .sendManualReminder: return "reopens an expired request: needs --test-clock on the server (else creates a request)"
        case .setPublicReply: return "a new public reply text on a review"
        case .createReport: return "a harmful-or-illegal report on a review"
        case .upsertBusiness, .acknowledgeIntroduction, .getReviewer, .listReports: return "setup and verification only"
        }
    }

    public static func < (lhs: LoadOperation, rhs: LoadOperation) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A weighted choice of operations: a named preset or `METHOD=WEIGHT,...`.
public struct LoadMix: Sendable, Equatable {
    /// `read`, `write`, `mixed`, or the text it was parsed from.
    public let name: String
    /// Operations and their relative weights, each weight at least 1.
    public let weights: [(LoadOperation, Int)]
    private let cumulative: [Int]

    /// A mix of `weights` (positive), named `name`.
    public init(name: String, weights: [(LoadOperation, Int)]) {
        self.name = name
        self.weights = weights
        var running = 0
        self.cumulative = weights.map { running += $0.1; return running }
    }

    public static func == (lhs: LoadMix, rhs: LoadMix) -> Bool {
        lhs.name == rhs.name && lhs.weights.map(\.0) == rhs.weights.map(\.0) && lhs.weights.map(\.1) == rhs.weights.map(\.1)
    }

    /// Sum of the weights.
    public var totalWeight: Int { self.cumulative.last ?? 0 }

    /// Whether the mix names `operation`.
    public func contains(_ operation: LoadOperation) -> Bool { self.weights.contains { $0.0 == operation } }

    /// The operation for a random number.
    @inline(__always)
    public func pick(_ random: UInt64) -> LoadOperation {
        let slot = Int(random % UInt64(self.totalWeight))
        var low = 0
        var high = self.cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if self.cumulative[middle] > slot { high = middle } else { low = middle + 1 }
        }
        return self.weights[low].0
    }

    /// Reads only: the business portal and the public pages.
    public static let read = LoadMix(
        name: "read",
        weights: [
            (.getReview, 30), (.getPublicReview, 20), (.getInfoRequest, 20), (.listReviews, 10), (.listInfoRequests, 10), (.getTimeline, 5),
            (.getBusiness, 5),
        ])
    /// Writes only, each one durable (fsync, group commit): ingest, the business's actions and the
    /// reviewer's answers, the whole workflow.
    public static let write = LoadMix(
        name: "write",
        weights: [
            (.publishReview, 20), (.createInfoRequest, 25), (.withdrawInfoRequest, 8), (.replyToRequest, 8), (.declineRequest, 4),
            (.openReply, 6), (.sendManualReminder, 2), (.setPublicReply, 15), (.createReport, 7), (.upsertReviewer, 5),
        ])
    /// 80 % reads, 20 % writes.
    public static let mixed = LoadMix(
        name: "mixed",
        weights: [
            (.getReview, 24), (.getPublicReview, 14), (.getInfoRequest, 16), (.listReviews, 8), (.listInfoRequests, 8), (.getTimeline, 4),
            (.getBusiness, 4), (.viewRequestByToken, 2), (.publishReview, 4), (.createInfoRequest, 5), (.withdrawInfoRequest, 2),
            (.replyToRequest, 2), (.declineRequest, 1), (.openReply, 2), (.sendManualReminder, 1), (.setPublicReply, 2), (.createReport, 1),
        ])

    /// The presets by name.
    public static let presets: [LoadMix] = [read, write, mixed]

    /// A preset by name, or `METHOD=WEIGHT,...` (short or full method names).
    public static func parse(_ text: String) -> Result<LoadMix, LoadMixError> {
        if let preset = self.presets.first(where: { $0.name == text }) { return .success(preset) }
        guard text.contains("=") else {
            return .failure(LoadMixError(message: "--mix \"\(text)\" is neither a preset (read, write, mixed) nor METHOD=WEIGHT,..."))
        }
        var weights: [(LoadOperation, Int)] = []
        for part in text.split(separator: ",") {
            let pieces = part.split(separator: "=", omittingEmptySubsequences: false)
            let name = pieces.first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
            guard let operation = LoadOperation(name: name) else {
                let known = LoadOperation.mixable.map(\.name).joined(separator: ", ")
                return .failure(LoadMixError(message: "--mix: the load tool cannot drive \"\(name)\"; it drives \(known)"))
            }
            guard pieces.count == 2, let weight = Int(pieces[1].trimmingCharacters(in: .whitespaces)), (1...1_000_000).contains(weight) else {
                return .failure(LoadMixError(message: "--mix: \"\(part)\" must be METHOD=WEIGHT with a whole weight from 1 to 1000000"))
            }
            guard !weights.contains(where: { $0.0 == operation }) else {
                return .failure(LoadMixError(message: "--mix: \(operation.name) appears twice"))
            }
            weights.append((operation, weight))
        }
        guard !weights.isEmpty else { return .failure(LoadMixError(message: "--mix is empty")) }
        return .success(LoadMix(name: text, weights: weights))
    }
}

/// A `--mix` that cannot be used.
public struct LoadMixError: Error, Sendable, Equatable {
    /// What is wrong with it.
    public var message: String
}
