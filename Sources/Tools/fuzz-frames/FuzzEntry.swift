// libFuzzer entry point over the untrusted-input paths: the frame decoder (with preface)
// and the message unpack of every header and request type. Built only by `make fuzz`
// (swiftc -sanitize=fuzzer,address); libFuzzer provides main.
import Messages
import RPC

#if FUZZING

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var decoder = FrameDecoder(limits: FrameLimits(maxHeaderBytes: 8 << 10, maxPayloadBytes: 1 << 20), expectingPreface: size % 2 == 0)
    decoder.feed(bytes)
    while let frame = try? decoder.next() {
        _ = try? RequestHeader(serializedBytes: frame.header)
        _ = try? ResponseHeader(serializedBytes: frame.header)
        _ = try? CreateInfoRequestRequest(serializedBytes: frame.payload)
        _ = try? ListInfoRequestsResponse(serializedBytes: frame.payload)
    }
    // The raw bytes as messages too, and through the generic JSON path.
    _ = try? GetInfoRequestResponse(serializedBytes: bytes)
    _ = try? ProtoJSON.jsonString(typeName: "findreviewer.v1.ListReviewsResponse", wireBytes: bytes)
    if let text = String(validating: bytes, as: UTF8.self) {
        _ = try? CreateInfoRequestRequest(jsonString: text)
    }
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// SwiftPM links an executable's entry as `<target>_main`; hand control to libFuzzer's driver.
@_cdecl("fuzz_frames_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        guard let data else { return 0 }
        return fuzz(data, size)
    }
}
#else
/// Without `make fuzz` (which defines FUZZING and links libFuzzer) this program only explains itself.
@main
enum FuzzStub {
    static func main() {
        print("fuzz-frames is built by `make fuzz` (swiftc -sanitize=fuzzer,address); this build has no fuzzer.")
    }
}
#endif
