import Foundation

/// One kind of call the load tool can make, always doing valid work on data it seeded itself.
public enum LoadOperation: String, CaseIterable, Sendable, Hashable {
    case getBusiness = "GetBusiness"
    case getReview = "GetReview"
    case listReviews = "ListReviews"
    case getInfoRequest = "GetInfoRequest"
    case listInfoRequests = "ListInfoRequests"
    case getTimeline = "GetTimeline"
    case getPublicReview = "GetPublicReview"
    case upsertReviewer = "UpsertReviewer"
    case publishReview = "PublishReview"
    case createInfoRequest = "CreateInfoRequest"
    case withdrawInfoRequest = "WithdrawInfoRequest"
    case setPublicReply = "SetPublicReply"
    case createReport = "CreateReport"

    /// The full method name.
    public var method: String { "findreviewer.v1.FindReviewer/" + self.rawValue }

    /// Whether it changes state (and so waits for the journal's fsync).
    public var isWrite: Bool {
        switch self {
        case .upsertReviewer, .publishReview, .createInfoRequest, .withdrawInfoRequest, .setPublicReply, .createReport: return true
        default: return false
        }
    }

    /// What it does, for `--help`.
    var explanation: String {
        switch self {
        case .getBusiness: return "the worker's business"
        case .getReview: return "a seeded review, business view"
        case .listReviews: return "first page (20) of the business's reviews"
        case .getInfoRequest: return "one of the worker's requests"
        case .listInfoRequests: return "first page (20) of the business's requests"
        case .getTimeline: return "one request's timeline"
        case .getPublicReview: return "a review's public page"
        case .upsertReviewer: return "renames the worker's reviewer"
        case .publishReview: return "a new review"
        case .createInfoRequest: return "a request on a review without an open one (else publishes one first)"
        case .withdrawInfoRequest: return "withdraws a pending request it made (else creates one)"
        case .setPublicReply: return "a new public reply text on a review"
        case .createReport: return "a harmful-or-illegal report on a review"
        }
    }
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

    /// The operation for a random number.
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
    /// Writes only, each one durable (fsync, group commit): ingest and the business's actions.
    public static let write = LoadMix(
        name: "write",
        weights: [
            (.publishReview, 25), (.createInfoRequest, 25), (.withdrawInfoRequest, 15), (.setPublicReply, 20), (.createReport, 10),
            (.upsertReviewer, 5),
        ])
    /// 80 % reads, 20 % writes.
    public static let mixed = LoadMix(
        name: "mixed",
        weights: [
            (.getReview, 24), (.getPublicReview, 16), (.getInfoRequest, 16), (.listReviews, 8), (.listInfoRequests, 8), (.getTimeline, 4),
            (.getBusiness, 4), (.publishReview, 5), (.createInfoRequest, 5), (.withdrawInfoRequest, 3), (.setPublicReply, 4),
            (.createReport, 2), (.upsertReviewer, 1),
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
            let shortName = name.split(separator: "/").last.map(String.init) ?? name
            guard let operation = LoadOperation(rawValue: shortName) else {
                let known = LoadOperation.allCases.map(\.rawValue).joined(separator: ", ")
                return .failure(LoadMixError(message: "--mix: the load tool cannot drive \"\(name)\"; it drives \(known)"))
            }
            guard pieces.count == 2, let weight = Int(pieces[1].trimmingCharacters(in: .whitespaces)), (1...1_000_000).contains(weight) else {
                return .failure(LoadMixError(message: "--mix: \"\(part)\" must be METHOD=WEIGHT with a whole weight from 1 to 1000000"))
            }
            guard !weights.contains(where: { $0.0 == operation }) else {
                return .failure(LoadMixError(message: "--mix: \(operation.rawValue) appears twice"))
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
