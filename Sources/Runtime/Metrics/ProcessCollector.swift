import Glibc

/// The process' own figures, read from /proc/self at every scrape: CPU seconds, resident and
/// virtual memory, open and maximum descriptors, threads, start time.
///
/// The names are Prometheus' standard `process_*` ones under this service's prefix
/// (`findreviewer_process_cpu_seconds_total`, ...). On a system without /proc the families are
/// left out rather than reported as zero.
public struct ProcessCollector: MetricsCollector {
    private let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
    private let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
    /// Boot time never changes: read once.
    private let bootTime = ProcFiles.read("/proc/stat").flatMap { ProcessStatistics.parseBootTime(procStat: $0) }

    /// A collector for the calling process.
    public init() {}

    /// The families now.
    public func collect() -> [MetricFamilySnapshot] {
        var families: [MetricFamilySnapshot] = []
        func add(_ name: String, _ type: MetricType, _ help: String, _ value: Double) {
            families.append(
                MetricFamilySnapshot(
                    name: MetricNames.prefix + name, help: help, type: type, series: [MetricSeriesSnapshot(value: .number(value))]))
        }
        if let bootTime = self.bootTime, let text = ProcFiles.read("/proc/self/stat"),
            let stats = ProcessStatistics.parse(stat: text, ticksPerSecond: self.ticksPerSecond, pageSize: self.pageSize, bootTime: bootTime)
        {
            add("process_cpu_seconds_total", .counter, "User and system CPU time spent, in seconds.", stats.cpuSeconds)
            add("process_resident_memory_bytes", .gauge, "Resident memory size, in bytes.", stats.residentBytes)
            add("process_virtual_memory_bytes", .gauge, "Virtual memory size, in bytes.", stats.virtualBytes)
            add("process_threads", .gauge, "Threads of the process.", stats.threads)
            add("process_start_time_seconds", .gauge, "Start time of the process, in seconds since the Unix epoch.", stats.startTimeSeconds)
        }
        // The directory stream's own descriptor is one of the entries: not counted.
        if let entries = ProcFiles.countEntries("/proc/self/fd") {
            add("process_open_fds", .gauge, "Open file descriptors.", Double(max(0, entries - 1)))
        }
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            add("process_max_fds", .gauge, "Limit on open file descriptors (soft).", Double(limit.rlim_cur))
        }
        return families
    }
}
