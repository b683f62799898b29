@testable import FindReviewerDomain
import Testing

@Suite("Undelivered outbox ids: order kept, removal without scanning")
struct OrderedIDsTests {
    @Test("random appends and removals match a plain array, through compactions")
    func matchesArray() {
        var generator = SystemRandomNumberGenerator()
        var ids = OrderedIDs()
        var model: [String] = []
        for step in 0..<20_000 {
            if model.isEmpty || Int.random(in: 0..<3, using: &generator) > 0 {
                let id = "out_\(step)"
                ids.append(id)
                model.append(id)
            } else {
                // Mostly the oldest (as deliveries go), sometimes any.
                let index = Bool.random(using: &generator) ? 0 : Int.random(in: 0..<model.count, using: &generator)
                ids.remove(model.remove(at: index))
            }
            if step % 997 == 0 { #expect(Array(ids) == model, "step \(step)") }
        }
        #expect(Array(ids) == model)
        #expect(ids.count == model.count)
        #expect(ids.first == model.first)
        ids.append(model[0])
        #expect(Array(ids) == model, "appending a present id changes nothing")
        var copy = OrderedIDs()
        for id in model { copy.append(id) }
        #expect(copy == ids)
    }
}
