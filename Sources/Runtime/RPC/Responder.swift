import Messages
import Synchronization

/// Completes one call, once, from any thread.
///
/// A handler that answers at once does so on the event-loop thread that read the call, and the
/// response is written in the same pass. A handler that must wait (a durable write) keeps the
/// responder and completes it later from another thread; the bytes then travel to the loop
/// through its mailbox.
public final class Responder: Sendable {
    private let deliver: @Sendable (Result<[UInt8], RPCError>) -> Void
    private let done = Atomic<Bool>(false)

    /// A responder that hands the outcome to `deliver` (wrapping one is how servers add logging).
    public init(_ deliver: @escaping @Sendable (Result<[UInt8], RPCError>) -> Void) {
        self.deliver = deliver
    }

    /// Answers OK with an encoded response payload.
    public func respond(_ payload: [UInt8]) { self.complete(.success(payload)) }

    /// Answers with an error status.
    public func fail(_ error: RPCError) { self.complete(.failure(error)) }

    /// Answers OK with a message, or INTERNAL if it cannot be encoded.
    public func respond<M: ProtoMessage>(_ message: M) {
        do {
            self.respond(try message.serializedBytes())
        } catch {
            self.fail(RPCError(.internal, "could not encode \(M.protoName): \(error.message)"))
        }
    }

    /// Answers with the outcome; later calls are ignored.
    public func complete(_ result: Result<[UInt8], RPCError>) {
        guard !self.done.exchange(true, ordering: .acquiringAndReleasing) else { return }
        self.deliver(result)
    }
}
