import Foundation
import Messages
import RPC

/// A valid request for every method whose request has a string field, every string field set
/// (non-empty, so that it travels on the wire), and the means to change one field by its path.
///
/// On an empty server each sample passes every check of its own fields and then fails a lookup
/// (NOT_FOUND); run in this order on one server, each succeeds or is refused by a rule, never
/// with INVALID_ARGUMENT. So a sample with one field changed is refused for that field alone.
enum RequestSamples {
    static let token = "0123456789abcdef0123456789abcdef0123456789abcdef"

    /// (full method name, JSON request), in the order of the .proto files but for the reviewer's controls.
    static let all: [(method: String, json: String)] = [
        ("UpsertBusiness", #"{"business":{"id":"acme","displayName":"Acme Travel","notificationEmail":"team@acme.example","locale":"en"}}"#),
        ("ListBusinesses", #"{"pageToken":"after:acme"}"#),
        ("GetBusiness", #"{"businessId":"acme"}"#),
        ("UpsertReviewer", #"{"reviewer":{"id":"ann","displayName":"Ann Andersson","email":"ann@mail.example","locale":"sv"}}"#),
        ("GetReviewer", #"{"reviewerId":"ann"}"#),
        (
            "PublishReview",
            #"{"review":{"id":"r1","businessId":"acme","reviewerId":"ann","rating":2,"title":"Slow check-in","text":"We waited.\nFor an hour.","experienceDate":"2026-11-24","source":"REVIEW_SOURCE_ORGANIC","publicReply":{"text":"Ignored"}}}"#
        ),
        ("GetReview", #"{"businessId":"acme","reviewId":"r1"}"#),
        ("ListReviews", #"{"businessId":"acme","pageToken":"after:r1"}"#),
        ("GetIntroduction", #"{"businessId":"acme"}"#),
        ("AcknowledgeIntroduction", #"{"businessId":"acme"}"#),
        (
            "CreateInfoRequest",
            #"{"businessId":"acme","reviewId":"r1","message":"Hello!\nCould you share your booking number?","requestedFields":["REQUESTED_FIELD_REFERENCE_NUMBER"],"referenceLabel":"Booking number"}"#
        ),
        ("GetInfoRequest", #"{"businessId":"acme","requestId":"req_00000001"}"#),
        ("ListInfoRequests", #"{"businessId":"acme","reviewId":"r1","pageToken":"after:req_00000001"}"#),
        ("GetTimeline", #"{"businessId":"acme","requestId":"req_00000001"}"#),
        ("SendManualReminder", #"{"businessId":"acme","requestId":"req_00000001"}"#),
        ("OpenReply", #"{"businessId":"acme","requestId":"req_00000001"}"#),
        ("WithdrawInfoRequest", #"{"businessId":"acme","requestId":"req_00000001"}"#),
        ("SetPublicReply", #"{"businessId":"acme","reviewId":"r1","text":"Thank you.\nWe are sorry."}"#),
        ("DeletePublicReply", #"{"businessId":"acme","reviewId":"r1"}"#),
        (
            "CreateReport",
            #"{"businessId":"acme","reviewId":"r1","reason":"REPORT_REASON_HARMFUL_OR_ILLEGAL","explanation":"It names our staff.\nPlease check.","acknowledgeGuidelines":true}"#
        ),
        ("ListReports", #"{"businessId":"acme","reviewId":"r1","pageToken":"after:rep_00000001"}"#),
        ("ViewRequestByToken", #"{"token":"\#(token)"}"#),
        (
            "ReplyToRequest",
            #"{"token":"\#(token)","email":"ann@mail.example","referenceNumber":"BK-4711","fullName":"Ann Andersson","phone":"+46 70 123 45 67","note":"Booked in May.\nRoom 12."}"#
        ),
        ("DeclineRequest", #"{"token":"\#(token)"}"#),
        // The reviewer's controls: block (samplesAreValid puts the real token from the email in),
        // list, lift by admin, lift by link, erase; in this order so that each page token names an item.
        ("BlockBusiness", #"{"token":"\#(token)"}"#),
        ("ListReviewerBlocks", #"{"reviewerId":"ann","pageToken":"after:acme"}"#),
        ("UnblockBusinessForReviewer", #"{"businessId":"acme","reviewerId":"ann"}"#),
        ("UnblockBusiness", #"{"token":"\#(token)"}"#),
        ("EraseReviewer", #"{"reviewerId":"ann"}"#),
        ("GetPublicReview", #"{"reviewId":"r1"}"#),
        ("findreviewer.v1.Health/Check", #"{"service":"findreviewer.v1.FindReviewer"}"#),
        ("findreviewer.v1.ServerInfoService/DescribeType", #"{"typeName":"findreviewer.v1.InfoRequest"}"#),
        // Moving a business (last: the export marks acme moving, the forget removes it).
        ("findreviewer.v1.Admin/ExportBusiness", #"{"businessId":"acme"}"#),
        ("findreviewer.v1.Admin/ForgetBusiness", #"{"businessId":"acme"}"#),
    ].map { (name, json) in (name.contains("/") ? name : "findreviewer.v1.FindReviewer/\(name)", json) }

    /// One string field of a request type, reached through message fields.
    struct StringField: CustomStringConvertible {
        /// lowerCamelCase path, as error details name it: `business.displayName`.
        var path: String
        /// The proto name of the last field: `display_name`.
        var protoName: String
        /// Its comment says "Multi-line": line feed, carriage return and tab are allowed.
        var multiLine: Bool
        /// A field on the way is "Output only": the server ignores what a request puts there.
        var outputOnly: Bool
        var description: String { self.path }
    }

    /// Every string field of the message type `typeName`, at any depth.
    static func stringFields(of typeName: String, comments: ProtoDocument.Comments) -> [StringField] {
        guard let layout = ProtoSchema.messages[typeName] else { return [] }
        var result: [StringField] = []
        for field in layout.fields {
            let lines = comments.fields["\(layout.shortName).\(field.name)"] ?? []
            let outputOnly = lines.contains { $0.hasPrefix("Output only") }
            switch field.kind {
            case .string:
                result.append(
                    StringField(
                        path: field.jsonName, protoName: field.name, multiLine: lines.contains { $0.lowercased().contains("multi-line") },
                        outputOnly: outputOnly))
            case .message:
                for inner in self.stringFields(of: field.typeName ?? "", comments: comments) {
                    var inner = inner
                    inner.path = field.jsonName + "." + inner.path
                    inner.outputOnly = inner.outputOnly || outputOnly
                    result.append(inner)
                }
            default:
                continue
            }
        }
        return result
    }

    /// The string at `path` of a JSON object.
    static func value(in json: String, at path: String) throws -> String? {
        var object: Any? = try JSONSerialization.jsonObject(with: Data(json.utf8))
        for key in path.split(separator: ".") { object = (object as? [String: Any])?[String(key)] }
        return object as? String
    }

    /// `json` with the string at `path` replaced by `value`.
    static func json(_ json: String, setting path: String, to value: String) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        let changed = Self.set(object, path.split(separator: ".").map(String.init)[...], value)
        return String(decoding: try JSONSerialization.data(withJSONObject: changed), as: UTF8.self)
    }

    private static func set(_ object: [String: Any], _ keys: ArraySlice<String>, _ value: String) -> [String: Any] {
        var object = object
        guard let key = keys.first else { return object }
        if keys.count == 1 {
            object[key] = value
        } else {
            object[key] = self.set(object[key] as? [String: Any] ?? [:], keys.dropFirst(), value)
        }
        return object
    }

    /// `value` with `insert` in its middle: "acme" → "ac?me".
    static func inserting(_ insert: String, into value: String) -> String {
        let middle = value.unicodeScalars.index(value.unicodeScalars.startIndex, offsetBy: value.unicodeScalars.count / 2)
        var scalars = value.unicodeScalars
        scalars.insert(contentsOf: insert.unicodeScalars, at: middle)
        return String(scalars)
    }

    /// Wire bytes of the method's request from JSON.
    static func wireBytes(_ method: String, _ json: String) throws -> [UInt8] {
        let input = ProtoSchema.method(fullName: method)!.inputType
        return try ProtoJSON.wireBytes(typeName: input, json: json)
    }

    /// Wire bytes of the sample with a NUL byte in the middle of the string at `path`. Encoders
    /// refuse to write a NUL, so the value is encoded with U+0001 there, which is then replaced.
    static func wireBytesWithNUL(_ method: String, _ json: String, at path: String) throws -> [UInt8] {
        let original = try require(try self.value(in: json, at: path), path)
        let marked = self.inserting("\u{1}", into: original)
        var bytes = try self.wireBytes(method, try self.json(json, setting: path, to: marked))
        let needle = Array(marked.utf8)
        let start = try require((0...(bytes.count - needle.count)).first { Array(bytes[$0..<$0 + needle.count]) == needle }, "the encoded value")
        let offset = needle.firstIndex(of: 0x01)!
        bytes[start + offset] = 0x00
        return bytes
    }

    /// The outcome of a raw call: nil for OK.
    static func outcome(_ client: RPCClient, _ method: String, _ bytes: [UInt8]) -> RPCError? {
        do {
            _ = try client.callRaw(method: method, request: bytes)
            return nil
        } catch {
            return error
        }
    }
}

/// `#require` outside a test function: throws instead of recording.
private func require<T>(_ value: T?, _ what: String = "value") throws -> T {
    guard let value else { throw SampleError(message: "missing \(what)") }
    return value
}

struct SampleError: Error, CustomStringConvertible {
    var message: String
    var description: String { self.message }
}
