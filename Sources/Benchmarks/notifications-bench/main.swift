// The CPU an email costs: rendering (every kind, every language) and filing it with the file
// transport in batches (one file and two syncs each), as the delivery worker does. `make bench-emails`; release builds only.
//
//   notifications-bench [--renders N] [--batches N] [--batch-size N]
import FindReviewerDomain
import Foundation
import Glibc
import Notifications

func threadCPUNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

func monotonicNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

func option(_ name: String, _ fallback: Int) -> Int {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let value = Int(arguments[index + 1]) else {
        return fallback
    }
    return value
}

/// A context like the ones the state builds: a business message of two lines, three fields.
func context(_ kind: NotificationKind, _ language: Language, _ number: Int) -> NotificationContext {
    let reviewer = kind.isForReviewer
    let id = "out_" + String(repeating: "0", count: 8 - String(number).count) + String(number)
    return NotificationContext(
        entry: OutboxEntry(id: id, kind: kind, requestId: "req_00000003", createdAt: 1_795_536_000),
        recipientAddress: reviewer ? "ann@mail.example" : "team@acme.example",
        recipientName: reviewer ? "Ann Andersson" : "Acme Travel",
        language: language, businessName: "Acme Travel",
        businessMessage: "We cannot find your booking.\nCould you share its number and the name it is under?",
        requestedFields: [.referenceNumber, .fullName, .phone], referenceLabel: "Booking number",
        deadline: 1_795_968_000, replyToken: reviewer ? String(repeating: "ab", count: 24) : "",
        reviewTitle: "Never got the room we booked")
}

let renders = option("--renders", 200_000)
let batches = option("--batches", 200)
let batchSize = option("--batch-size", DeliveryWorker.passSize)  // what the delivery worker files per pass
let renderer = EmailRenderer(
    from: "FindReviewer <no-reply@reviews.example>", replyBaseURL: "https://reviews.example/find-reviewer/reply",
    messageIdDomain: "reviews.example")
let contexts = NotificationKind.allCases.flatMap { kind in Language.allCases.map { context(kind, $0, 1) } }

print("findreviewer notifications-bench: \(renders) renders over \(contexts.count) kinds x languages; "
    + "\(batches) batches of \(batchSize) emails filed")
var bytes = 0
for index in 0..<min(renders, 10_000) { bytes &+= renderer.render(contexts[index % contexts.count]).rfc822.count }  // warm-up
let renderStart = threadCPUNanoseconds()
for index in 0..<renders { bytes &+= renderer.render(contexts[index % contexts.count]).rfc822.count }
let renderCPU = Double(threadCPUNanoseconds() - renderStart) / Double(renders)
print(String(format: "render: %.2f us CPU per email (%d bytes on average)", renderCPU / 1_000, bytes / (renders + min(renders, 10_000))))

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("notifications-bench-\(getpid())").path
let transport = FileTransport(directory: directory)
var number = 0
var failures = 0
var fileCPU: UInt64 = 0
var fileWall: UInt64 = 0
for _ in 0..<batches {
    let emails = (0..<batchSize).map { index -> RenderedEmail in
        number += 1
        let base = contexts[(number + index) % contexts.count]
        return renderer.render(context(base.entry.kind, base.language, number))
    }
    let cpu = threadCPUNanoseconds()
    let wall = monotonicNanoseconds()
    failures += transport.deliver(batch: emails).compactMap { $0 }.count
    fileCPU += threadCPUNanoseconds() - cpu
    fileWall += monotonicNanoseconds() - wall
}
try? FileManager.default.removeItem(atPath: directory)
let filed = Double(batches * batchSize)
print(String(format: "file: %.2f us CPU and %.2f us wall per email (batches of %d, two syncs each), %d failures",
    Double(fileCPU) / filed / 1_000, Double(fileWall) / filed / 1_000, batchSize, failures))
print(String(format: "render + file: %.2f us CPU per email", renderCPU / 1_000 + Double(fileCPU) / filed / 1_000))
