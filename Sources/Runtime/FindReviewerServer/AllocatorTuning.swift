import Glibc

/// The server runs with a larger per-thread cache in glibc's allocator.
///
/// glibc keeps up to 7 freed chunks of each size per thread (its tcache) and serves further
/// requests from the arena's bins, sorting its unsorted free list on the way. A batch of writes
/// (group commit: every call read in one loop iteration is answered after one fsync) keeps
/// dozens of objects of each size alive until the batch is done, so with 7 most allocations
/// missed the cache: the allocator's slow paths (`_int_malloc`, `malloc_consolidate`, …) took
/// 13 % of a busy event loop's time under durable creates, 11 % with 256 chunks per size and
/// 4 % with 1,024 (perf, one event loop, 50 clients). A full cache of every size would hold
/// about 33 MiB per thread; in practice a few sizes are busy.
///
/// glibc reads its tunables only when a process starts, so the server sets `GLIBC_TUNABLES`
/// and executes itself again, once, before doing anything else. A `GLIBC_TUNABLES` that
/// already names the count is left as it is (which is also how to opt out:
/// `GLIBC_TUNABLES=glibc.malloc.tcache_count=7`).
public enum AllocatorTuning {
    /// The tunable and the value the server asks for.
    public static let tunable = "glibc.malloc.tcache_count"
    public static let count = 1_024

    /// The `GLIBC_TUNABLES` value to run with, given the current one; nil when the current one
    /// already sets the count (nothing to do).
    public static func tunables(adding current: String?) -> String? {
        let setting = "\(Self.tunable)=\(Self.count)"
        guard let current, !current.isEmpty else { return setting }
        let names = current.split(separator: ":").map { $0.split(separator: "=", maxSplits: 1).first ?? "" }
        if names.contains(where: { $0 == Self.tunable }) { return nil }
        return current + ":" + setting
    }

    /// Executes the running program again with the tunable set, keeping its arguments and the
    /// rest of its environment (and its process id). Returns, changing nothing, when the tunable
    /// is already set or the program cannot be executed again.
    public static func reexecuteIfNeeded() {
        let current = getenv("GLIBC_TUNABLES").map { String(cString: $0) }
        guard let wanted = Self.tunables(adding: current), setenv("GLIBC_TUNABLES", wanted, 1) == 0 else { return }
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Still here: exec failed. Run on with glibc's defaults, and leave the environment as found.
        if let current { setenv("GLIBC_TUNABLES", current, 1) } else { unsetenv("GLIBC_TUNABLES") }
    }
}
