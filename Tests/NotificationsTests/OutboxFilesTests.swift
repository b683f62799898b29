import FindReviewerDomain
import Foundation
@testable import Notifications
import Testing

@Suite("Outbox files: the mbox batch format, escaping, removal")
struct OutboxFilesTests {
    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("outbox-files-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("lines starting with From (behind any number of >) are escaped in the file and come back unchanged")
    func fromLines() {
        let message = Array("From: x\r\nSubject: y\r\n\r\nFrom here\r\n>From there\r\n>>From: far\r\nFromage\r\nnot From \r\n".utf8)
        let other = Array("To: z\r\n\r\nFrom".utf8)
        var file: [UInt8] = []
        let separator = OutboxFiles.separator(at: 1_795_536_000)
        OutboxFiles.append(message, separator: separator, to: &file)
        OutboxFiles.append(other, separator: separator, to: &file)
        let text = String(decoding: file, as: UTF8.self)
        // "From:" (no space after "From") is no separator: left alone, in a header or a body.
        #expect(text.contains("\r\n>From here\r\n>>From there\r\n>>From: far\r\nFromage\r\n"))
        #expect(text.components(separatedBy: "\r\nFrom ").count == 2)  // the second separator only
        #expect(text.hasPrefix("From - Tue Nov 24 16:00:00 2026\r\nFrom: x\r\n"))
        #expect(OutboxFiles.messages(inMbox: file) == [message, other])
    }

    @Test("the separator line's date is asctime-shaped, the day padded with a space")
    func separator() {
        #expect(OutboxFiles.separator(at: 1_796_220_309) == Array("From - Wed Dec  2 14:05:09 2026\r\n".utf8))
    }

    @Test("batch names give their entry range; ids compare as the state numbers them")
    func names() {
        let name = OutboxFiles.batchName(first: "out_00000009", last: "out_00000012", nanoseconds: 255)
        #expect(name == "out_00000009-out_00000012.00000000000000ff.mbox")
        #expect(OutboxFiles.entryRange(ofBatch: name)! == ("out_00000009", "out_00000012"))
        #expect(OutboxFiles.entryRange(ofBatch: name + ".tmp")! == ("out_00000009", "out_00000012"))
        #expect(OutboxFiles.entryRange(ofBatch: "out_00000009.eml") == nil)
        #expect(OutboxFiles.id("out_00000010", isWithin: "out_00000009", "out_00000012"))
        #expect(!OutboxFiles.id("out_00000013", isWithin: "out_00000009", "out_00000012"))
        #expect(OutboxFiles.id("out_100000000", isWithin: "out_99999999", "out_100000001"))
        #expect(!OutboxFiles.id("out_100000000", isWithin: "out_00000001", "out_99999999"))
    }

    @Test("remove: rewrites a batch without the entries, deletes a batch left empty, an old .eml and a .tmp that may hold one")
    func remove() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = Counter(1_000)
        let transport = FileTransport(directory: directory) { clock.next() }
        let emails = (1...6).map { Fixtures.renderer.render(Fixtures.makeContext(kind: .declined, language: .de, id: "out_0000000\($0)")) }
        #expect(transport.deliver(batch: Array(emails[0..<3])).allSatisfy { $0 == nil })
        #expect(transport.deliver(batch: [emails[3]]).allSatisfy { $0 == nil })
        // An older release's file, and a batch a crash left half-written.
        try Data(emails[4].rfc822).write(to: URL(fileURLWithPath: directory + "/out_00000005.eml"))
        try Data("From - x\r\n".utf8).write(to: URL(fileURLWithPath: directory + "/out_00000006-out_00000006.0000000000000001.mbox.tmp"))
        let removed = OutboxFiles.remove(entryIds: ["out_00000002", "out_00000004", "out_00000005", "out_00000006"], from: directory)
        #expect(removed == 3)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(names == ["out_00000001-out_00000003.00000000000003e8.mbox"])
        let data = try #require(FileManager.default.contents(atPath: directory + "/" + names[0]))
        #expect(OutboxFiles.messages(inMbox: [UInt8](data)) == [emails[0].rfc822, emails[2].rfc822])
        // Nothing to remove: nothing changes.
        #expect(OutboxFiles.remove(entryIds: ["out_00000002"], from: directory) == 0)
        #expect(FileManager.default.contents(atPath: directory + "/" + names[0]) == data)
    }
}
