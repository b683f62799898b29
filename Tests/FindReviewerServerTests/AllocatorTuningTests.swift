import FindReviewerServer
import Testing

@Suite("The allocator tunable the server runs with")
struct AllocatorTuningTests {
    @Test("added when GLIBC_TUNABLES is unset or empty, appended to other tunables, left alone when the count is named")
    func tunables() {
        let setting = "glibc.malloc.tcache_count=\(AllocatorTuning.count)"
        #expect(AllocatorTuning.tunables(adding: nil) == setting)
        #expect(AllocatorTuning.tunables(adding: "") == setting)
        #expect(AllocatorTuning.tunables(adding: "glibc.malloc.arena_max=2") == "glibc.malloc.arena_max=2:" + setting)
        #expect(AllocatorTuning.tunables(adding: "glibc.malloc.tcache_count=7") == nil)
        #expect(AllocatorTuning.tunables(adding: "glibc.malloc.arena_max=2:glibc.malloc.tcache_count=0") == nil)
        // A name that only starts like it is another tunable.
        #expect(AllocatorTuning.tunables(adding: "glibc.malloc.tcache_count_x=1") == "glibc.malloc.tcache_count_x=1:" + setting)
    }
}
