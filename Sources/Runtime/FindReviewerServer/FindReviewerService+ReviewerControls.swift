import FindReviewerDomain
import FindReviewerEngine
import Foundation
import Glibc
import Messages
import Notifications
import RPC

/// The reviewer's controls (issue 22): blocking a business from a link, lifting the block (from a
/// link, or an admin for the reviewer), the admin's list of a reviewer's blocks, and the erasure
/// of a reviewer, which reaches the files before it answers.
extension FindReviewerService {
    /// `BlockBusiness`.
    public func blockBusiness(_ request: BlockBusinessRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        self.write(.blockBusiness(token: request.token), responder: responder) { state, _ in
            BlockBusinessResponse(request: (try? state.reviewerView(token: request.token)).map(WireMapping.reviewerView))
        }
    }

    /// `UnblockBusiness`.
    public func unblockBusiness(_ request: UnblockBusinessRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        self.write(.unblockBusiness(token: request.token), responder: responder) { state, _ in
            UnblockBusinessResponse(request: (try? state.reviewerView(token: request.token)).map(WireMapping.reviewerView))
        }
    }

    /// `UnblockBusinessForReviewer`.
    public func unblockBusinessForReviewer(_ request: UnblockBusinessForReviewerRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        let command = DomainCommand.unblockBusinessForReviewer(businessId: request.businessId, reviewerId: request.reviewerId)
        self.write(command, responder: responder) { _, events in
            UnblockBusinessForReviewerResponse(wasBlocked: !events.isEmpty)
        }
    }

    /// `ListReviewerBlocks`.
    public func listReviewerBlocks(_ request: ListReviewerBlocksRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        self.read(responder: responder) { state in
            let page = try state.listBlocks(reviewerId: request.reviewerId, pageSize: Int(request.pageSize), pageToken: request.pageToken)
            return ListReviewerBlocksResponse(
                blocks: page.items.map {
                    BlockedBusiness(businessId: $0.businessId, businessDisplayName: $0.businessDisplayName, blockedAt: $0.blockedAt)
                },
                nextPageToken: page.nextPageToken)
        }
    }

    /// `EraseReviewer`.
    public func eraseReviewer(_ request: EraseReviewerRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        let reviewerId = request.reviewerId
        let (outboxDirectory, snapshot) = self.wiring.withLock { ($0.outboxDirectory, $0.snapshot) }
        // Off the event loop: the pass over every review (tens of ms at a million reviews)
        // runs on a copy of the state, outside the lock (domain README), and the snapshot after
        // the erasure blocks until it is written.
        Thread {
            let found = self.engine.snapshot().reviewsOfReviewer(reviewerId)
            // Once the erasure is durable: the files forget, then the call answers. On a thread of
            // its own: durability is reported on the journal's thread, which the snapshot waits for.
            let forget = Responder { result in
                guard case .success = result else { return responder.complete(result) }
                Thread {
                    responder.complete(self.forgetErased(found, outboxDirectory: outboxDirectory, snapshot: snapshot))
                }.start()
            }
            // A refusal (an unknown reviewer) answers at once; the real answer is built after
            // the files forgot.
            self.write(.eraseReviewer(reviewerId: reviewerId, found: found), responder: forget) { _, _ in EraseReviewerResponse() }
        }.start()
    }

    /// After a durable erasure: a snapshot (the state without the data; it rotates the journal
    /// and removes the segments and snapshots before it), then every email about the reviewer's
    /// requests from the outbox files (``OutboxFiles/remove(entryIds:from:)``). Answers with what the erasure left.
    private func forgetErased(
        _ found: ReviewsOfReviewer, outboxDirectory: String?, snapshot: (@Sendable () throws(RPCError) -> TriggerSnapshotResponse)?
    ) -> Result<[UInt8], RPCError> {
        do throws(RPCError) {
            if let snapshot { _ = try snapshot() }
            let state = self.engine.snapshot()
            var deleted = 0
            if let outboxDirectory {
                deleted = OutboxFiles.remove(entryIds: state.outboxEntryIds(ofReviewer: found.reviewerId), from: outboxDirectory)
            }
            let summary = state.erasureSummary(found)
            let reviewer = try? state.getReviewer(found.reviewerId)
            self.logger.log(.info, "reviewer erased", [
                "reviewer_id": found.reviewerId, "reviews": String(summary.reviews), "requests": String(summary.requests),
                "emails_cancelled": String(summary.emailsCancelled), "email_files_deleted": String(deleted),
            ])
            let response = EraseReviewerResponse(
                reviewer: reviewer.map { WireMapping.reviewer($0) }, reviews: UInt32(summary.reviews), requests: UInt32(summary.requests),
                emailsCancelled: UInt32(summary.emailsCancelled))
            do {
                return .success(try response.serializedBytes())
            } catch {
                return .failure(RPCError(.internal, "could not encode EraseReviewerResponse: \(error)"))
            }
        } catch {
            return .failure(error)
        }
    }

    /// After the delivery thread marked `ids`: deletes the file of each one that was cancelled
    /// meanwhile (an erasure came between rendering and marking), so no email of an erased
    /// reviewer outlives the erasure in `outboxDirectory`.
    public func deleteCancelledEmailFiles(_ ids: [String], outboxDirectory: String) {
        OutboxFiles.remove(entryIds: self.cancelledOutboxIds(ids), from: outboxDirectory)
    }

    /// Those of `ids` whose outbox entries were cancelled (an erasure).
    public func cancelledOutboxIds(_ ids: [String]) -> [String] {
        self.engine.withState { state in ids.filter { state.outbox[$0]?.cancelledAt != nil } }
    }
}
