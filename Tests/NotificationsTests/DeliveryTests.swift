import FindReviewerDomain
import Foundation
@testable import Notifications
import ServiceLifecycle
import Testing
import FindReviewerTestSupport

/// A transport that fails a set number of times, recording what it sent.
final class FlakyTransport: EmailTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var failuresLeft: Int
    private(set) var sent: [String] = []
    init(failures: Int) { self.failuresLeft = failures }
    func deliver(_ email: RenderedEmail) throws(DeliveryError) {
        let fail = self.lock.withLock { () -> Bool in
            if self.failuresLeft > 0 { self.failuresLeft -= 1; return true }
            self.sent.append(email.entryId)
            return false
        }
        if fail { throw DeliveryError(.retryable, "relay busy") }
    }
}

/// The outbox as the state would hold it, and a manual clock.
final class Outbox: @unchecked Sendable {
    let lock = NSLock()
    var pending: [NotificationContext]
    var delivered: [String] = []
    var now: Int64 = 0
    init(_ pending: [NotificationContext]) { self.pending = pending }
    func mark(_ id: String) {
        self.lock.withLock {
            self.delivered.append(id)
            self.pending.removeAll { $0.entry.id == id }
        }
    }
}

@Suite("Delivery worker: backoff on a manual clock, exactly once, SMTP to a real server")
struct DeliveryTests {
    static func makeWorker(_ outbox: Outbox, _ transport: EmailTransport) -> DeliveryWorker {
        DeliveryWorker(
            renderer: Fixtures.renderer, transport: transport, pending: { outbox.lock.withLock { outbox.pending } },
            markDelivered: { outbox.mark($0) }, now: { outbox.lock.withLock { outbox.now } })
    }

    @Test("retries back off 1 s, 2 s, 4 s … (capped at 300 s), then deliver exactly once")
    func backoff() {
        #expect((1...12).map { DeliveryWorker.backoffSeconds(afterFailures: $0) } == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300])
        let outbox = Outbox([Fixtures.makeContext(kind: .expired, language: .de)])
        let transport = FlakyTransport(failures: 3)
        let worker = Self.makeWorker(outbox, transport)
        var attempts: [Int64] = []
        for second in 0...20 {
            outbox.now = Int64(second)
            let before = transport.sent.count
            worker.step()
            if transport.sent.count > before || outbox.delivered.isEmpty && second == 0 { attempts.append(Int64(second)) }
        }
        // Failed at 0, 1, 3; delivered at 7 (after 1, 2, 4 s of backoff).
        #expect(transport.sent == ["out_00000007"])
        #expect(outbox.delivered == ["out_00000007"])
        #expect(attempts.last == 7)
    }

    @Test("an entry sent but not yet marked is marked again, never sent twice")
    func neverTwice() {
        let outbox = Outbox([Fixtures.makeContext(kind: .declined, language: .en)])
        let transport = FlakyTransport(failures: 0)
        let worker = DeliveryWorker(
            renderer: Fixtures.renderer, transport: transport, pending: { outbox.lock.withLock { outbox.pending } },
            markDelivered: { _ in }, now: { 0 })  // marking is lost: the entry stays pending
        worker.step()
        worker.step()
        #expect(transport.sent.count == 1)
    }

    @Test("SMTP to a real server (aiosmtpd) that refuses twice, then accepts: delivered once, intact")
    func smtpRelay() throws {
        let server = try SMTPServer(refuse: 2)
        let transport = try SMTPTransport(relay: "127.0.0.1:\(server.port)", timeoutSeconds: 5)
        let outbox = Outbox([Fixtures.makeContext(kind: .requestToReviewer, language: .sv)])
        let worker = Self.makeWorker(outbox, transport)
        for second in 0...10 {
            outbox.now = Int64(second)
            worker.step()
        }
        #expect(outbox.delivered == ["out_00000007"])
        let messages = server.messages
        #expect(messages.count == 1)
        let received = try #require(messages.first)
        #expect(received.contains("Message-ID: <out_00000007@reviews.example>"))
        // A body line that starts with "." survived dot-stuffing.
        let rendered = String(decoding: Fixtures.renderer.render(Fixtures.makeContext(kind: .requestToReviewer, language: .sv)).rfc822, as: UTF8.self)
        #expect(received.trimmingCharacters(in: .newlines) == rendered.trimmingCharacters(in: .newlines))
    }

    @Test("a relay that answers 5xx is a permanent error; a closed port is retryable")
    func smtpErrors() throws {
        let closed = try SMTPTransport(relay: "127.0.0.1:\(SMTPServer.freePort())", timeoutSeconds: 2)
        let error = #expect(throws: DeliveryError.self) {
            try closed.deliver(Fixtures.renderer.render(Fixtures.makeContext(kind: .expired, language: .en)))
        }
        #expect(error?.code == .retryable)
        #expect(SMTPTransport.dotStuffed(Array(".a\r\nb\r\n..c\r\n".utf8)) == Array("..a\r\nb\r\n...c".utf8))
    }

    @Test("the file transport writes a batch as one mbox file holding every email byte for byte, leaves no temporary files")
    func fileBatch() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outbox-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = Counter(1_795_536_000_000_000_000)
        let transport = FileTransport(directory: directory) { clock.next() }
        let emails = (1...5).map { Fixtures.renderer.render(Fixtures.makeContext(kind: .requestToReviewer, language: .sv, id: "out_0000000\($0)")) }
        #expect(transport.deliver(batch: emails).allSatisfy { $0 == nil })
        let name = "out_00000001-out_00000005.18eb067a956d0000.mbox"
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == [name])
        let data = try #require(FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(name)))
        #expect(String(decoding: data.prefix(33), as: UTF8.self) == "From - Tue Nov 24 16:00:00 2026\r\n")
        #expect(OutboxFiles.messages(inMbox: [UInt8](data)) == emails.map(\.rfc822))
        #expect(OutboxFiles.messages(inMbox: [UInt8](data)).map { OutboxFiles.entryId(of: $0) } == emails.map(\.entryId))
        // A repeat writes a new file (the reader shows the entry once); nothing replaces a file.
        try transport.deliver(emails[0])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == [
            "out_00000001-out_00000001.18eb067a956d0001.mbox", name,
        ])
        // A directory that cannot be created fails every email of the batch, retryably.
        let blocked = FileTransport(directory: (directory as NSString).appendingPathComponent(name + "/sub"))
        #expect(blocked.deliver(batch: Array(emails.prefix(2))).allSatisfy { $0?.code == .retryable })
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).allSatisfy { !$0.hasSuffix(".tmp") })
    }
}

/// Successive values from `start`, one per call.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value: UInt64

    init(_ start: UInt64) { self.value = start }

    func next() -> UInt64 {
        self.lock.withLock {
            defer { self.value += 1 }
            return self.value
        }
    }
}

/// A transport whose deliveries wait until the test lets them go (a pass starved of CPU).
final class GatedTransport: EmailTransport, @unchecked Sendable {
    let entered = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var sentIds: [String] = []
    var sent: [String] { self.lock.withLock { self.sentIds } }
    var gated = true
    func deliver(_ email: RenderedEmail) throws(DeliveryError) {
        if self.lock.withLock({ self.gated }) {
            self.entered.signal()
            self.release.wait()
        }
        self.lock.withLock { self.sentIds.append(email.entryId) }
    }
    func open() { self.lock.withLock { self.gated = false } }
}

@Suite("Delivery worker at shutdown: a bounded wait, the last pass on the stopping thread")
struct DeliveryShutdownTests {
    @Test("a worker stuck in a pass is left behind after the wait: it marks nothing afterwards, so a closed state is never written")
    func abandonedWorkerMarksNothing() {
        let outbox = Outbox([Fixtures.makeContext(kind: .declined, language: .en)])
        let transport = GatedTransport()
        let worker = DeliveryTests.makeWorker(outbox, transport)
        let group = ServiceGroup([worker])
        group.start()
        worker.wake()
        transport.entered.wait()  // the worker's pass is inside the transport
        #expect(group.stop(worker, waitingAtMost: 0.05) == false)
        worker.abandon()
        transport.open()
        transport.release.signal()
        // The worker's pass ends and its thread returns; nothing was marked.
        while transport.sent.isEmpty { usleep(1_000) }
        #expect(group.stop(worker, waitingAtMost: 10))
        #expect(outbox.lock.withLock { outbox.delivered }.isEmpty)
        #expect(worker.lastPass() == 0, "an abandoned worker's last pass marks nothing either")
        #expect(outbox.lock.withLock { outbox.delivered }.isEmpty)
    }

    @Test("after a prompt stop the last pass runs on the calling thread and delivers what the last calls wrote")
    func lastPassOnCaller() {
        let outbox = Outbox([])
        let transport = FlakyTransport(failures: 0)
        let worker = DeliveryTests.makeWorker(outbox, transport)
        let group = ServiceGroup([worker])
        group.start()
        #expect(group.stop(worker, waitingAtMost: 10))
        // Written after the worker stopped (the last calls of a drain).
        outbox.lock.withLock { outbox.pending = [Fixtures.makeContext(kind: .expired, language: .sv)] }
        #expect(transport.sent.isEmpty, "the stopped worker did not deliver")
        #expect(worker.lastPass() == 1)
        #expect(transport.sent == ["out_00000007"])
        #expect(outbox.lock.withLock { outbox.delivered } == ["out_00000007"])
    }
}
