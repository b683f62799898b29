import FindReviewerDomain
import FindReviewerEngine
import Foundation
import Messages
import RPC

/// Moving a business between shards (issue 19 item 4, PROTOCOL.md §9.5): `ExportBusiness` on
/// the old owner, `ImportBusiness` on the new one, `ForgetBusiness` on the old one. Each is
/// one command on the engine's one write path, journaled.
extension FindReviewerService {
    /// `ExportBusiness`: marks the business moving, then answers its data from the state after
    /// the mark (under the same lock: nothing of the business changes in between).
    public func exportBusiness(_ request: ExportBusinessRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        let businessId = request.businessId
        let shard = self.ownership.name
        // Encoding a large business takes a while: the items are taken under the lock, the
        // bytes are built off it, once the mark is durable.
        self.engine.perform([.markBusinessMoving(businessId: businessId)], stopAtRefusal: true, answer: { state, _ in
            state.exportItems(businessId: businessId) ?? []
        }) { result in
            switch result {
            case .success(let items):
                do {
                    let data = try BusinessTransfer.encode(items, businessId: businessId, sourceShard: shard, at: self.clock.now())
                    self.logger.log(.info, "business exported", ["business_id": businessId, "items": String(items.count), "bytes": String(data.count)])
                    responder.respond(ExportBusinessResponse(data: Data(data), counts: Self.counts(BusinessTransfer.Counts(items))))
                } catch {
                    responder.fail(RPCError(.internal, "could not encode the export: \(error)"))
                }
            case .failure(let error):
                responder.fail(RPCError(converting: error))
            }
        }
    }

    /// `ImportBusiness`: decodes the export (INVALID_ARGUMENT), checks that this shard owns the
    /// business's slot (WRONG_SHARD), then loads it as one journaled event.
    public func importBusiness(_ request: ImportBusinessRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        let (businessId, items) = try BusinessTransfer.decode(Array(request.data))
        try self.ownership.check(.business(businessId), field: "data")
        let before = items.compactMap { item -> (String, Bool)? in
            switch item {
            case .request(let request, _): return (request.id, true)
            case .report(let report): return (report.id, false)
            default: return nil
            }
        }
        self.engine.perform([.importBusiness(items: items)], stopAtRefusal: true, answer: { _, steps -> [DomainEvent] in
            if case .success(let events)? = steps.first { return events }
            return []
        }) { result in
            switch result {
            case .success(let events):
                guard case .businessImported(let imported)? = events.first else {
                    return responder.fail(RPCError(.internal, "the import applied no business"))
                }
                var after: [(String, Bool)] = []
                for item in imported {
                    if case .request(let request, _) = item { after.append((request.id, true)) }
                    if case .report(let report) = item { after.append((report.id, false)) }
                }
                var requests: [RenamedId] = []
                var reports: [RenamedId] = []
                for (old, new) in zip(before, after) {
                    if old.1 { requests.append(RenamedId(before: old.0, after: new.0)) } else { reports.append(RenamedId(before: old.0, after: new.0)) }
                }
                self.logger.log(.info, "business imported", ["business_id": businessId, "items": String(imported.count)])
                responder.respond(
                    ImportBusinessResponse(
                        businessId: businessId, counts: Self.counts(BusinessTransfer.Counts(imported)), requests: requests, reports: reports))
            case .failure(let error):
                responder.fail(RPCError(converting: error))
            }
        }
    }

    /// `ForgetBusiness`: removes a moving business and everything about it.
    public func forgetBusiness(_ request: ForgetBusinessRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        let businessId = request.businessId
        self.write(.forgetBusiness(businessId: businessId), responder: responder, before: { state in
            BusinessTransfer.Counts(state.exportItems(businessId: businessId) ?? [])
        }) { _, _, counts in
            ForgetBusinessResponse(counts: Self.counts(counts))
        }
    }

    static func counts(_ counts: BusinessTransfer.Counts) -> BusinessCounts {
        BusinessCounts(
            reviewers: UInt32(counts.reviewers), reviews: UInt32(counts.reviews), requests: UInt32(counts.requests),
            reports: UInt32(counts.reports), outboxEntries: UInt32(counts.outboxEntries), pendingEmails: UInt32(counts.pendingEmails),
            blocks: UInt32(counts.blocks))
    }
}
