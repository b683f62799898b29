import Glibc

/// What /proc says about a process: the figures of the process collector, parsed purely from
/// the files' text so that tests can feed fixtures.
public struct ProcessStatistics: Sendable, Equatable {
    /// User plus system CPU time, seconds.
    public var cpuSeconds: Double
    /// Resident set size, bytes.
    public var residentBytes: Double
    /// Virtual memory size, bytes.
    public var virtualBytes: Double
    /// Threads.
    public var threads: Double
    /// Start time, seconds since the Unix epoch.
    public var startTimeSeconds: Double

    /// Parses `/proc/<pid>/stat` given the kernel's clock ticks per second, the page size and
    /// the boot time (`btime` of /proc/stat, seconds since the epoch); nil if malformed.
    ///
    /// The command name (field 2) is in parentheses and may itself contain spaces and `)`, so
    /// the fields are counted from the last `)`.
    public static func parse(stat: String, ticksPerSecond: Double, pageSize: Double, bootTime: Double) -> ProcessStatistics? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        // Fields from 3 (state) on; field N is at index N - 3.
        let fields = stat[stat.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        func field(_ number: Int) -> Double? { fields.count > number - 3 ? Double(fields[number - 3]) : nil }
        guard let utime = field(14), let stime = field(15), let threads = field(20), let start = field(22), let vsize = field(23),
            let rss = field(24)
        else { return nil }
        return ProcessStatistics(
            cpuSeconds: (utime + stime) / ticksPerSecond, residentBytes: rss * pageSize, virtualBytes: vsize, threads: threads,
            startTimeSeconds: bootTime + start / ticksPerSecond)
    }

    /// The `btime` line of /proc/stat: boot time, seconds since the epoch.
    public static func parseBootTime(procStat: String) -> Double? {
        for line in procStat.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst("btime ".count).trimmingPrefix(" "))
        }
        return nil
    }
}

/// Small reads of /proc without Foundation (the scrape runs on the metrics thread).
enum ProcFiles {
    /// The whole file at `path` (small /proc files), or nil.
    static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Entries of a directory other than `.` and `..`, or nil.
    static func countEntries(_ path: String) -> Int? {
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in
                name[0] == UInt8(ascii: ".") && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
            }
            if !isDot { count += 1 }
        }
        return count
    }
}
