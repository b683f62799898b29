import Foundation
import Glibc
import Metrics
import Testing

@Suite("Process collector")
struct ProcessCollectorTests {
    @Test("/proc/self/stat fields are counted from the last ')', so a command name with spaces and parentheses parses")
    func parsesStat() throws {
        // Fields 1-24 of a real line, with a hostile command name.
        let stat = "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 3000 0 0 0 250 130 0 0 20 0 7 0 123456 987654321 2048 18446744073709551615"
        let stats = try #require(ProcessStatistics.parse(stat: stat, ticksPerSecond: 100, pageSize: 4_096, bootTime: 1_700_000_000))
        #expect(stats.cpuSeconds == 3.8)  // (250 + 130) / 100
        #expect(stats.threads == 7)
        #expect(stats.startTimeSeconds == 1_700_000_000 + 1_234.56)
        #expect(stats.virtualBytes == 987_654_321)
        #expect(stats.residentBytes == 2_048 * 4_096)
        #expect(ProcessStatistics.parse(stat: "4242 (cut short) S 1 2", ticksPerSecond: 100, pageSize: 4_096, bootTime: 0) == nil)
        #expect(ProcessStatistics.parseBootTime(procStat: "cpu  1 2 3\nintr 5\nbtime 1699999999\nprocesses 9\n") == 1_699_999_999)
    }

    @Test("open descriptors count one more after opening a file (in a process of its own: other tests open sockets)")
    func openDescriptors() async {
        await #expect(processExitsWith: .success) {
            let collector = ProcessCollector()
            func open() -> Double? { collector.collect().family(MetricNames.prefix + "process_open_fds")?.series.first?.number }
            let before = open() ?? -1
            let fd = Glibc.open("/dev/null", O_RDONLY)
            precondition(fd >= 0 && open() == before + 1, "open fds \(before) -> \(open() ?? -1)")
            close(fd)
            precondition(open() == before, "open fds after close: \(open() ?? -1), before \(before)")
        }
    }

    @Test("the live figures agree with what the process knows of itself")
    func liveFigures() throws {
        let collector = ProcessCollector()
        func value(_ name: String) -> Double? {
            collector.collect().family(MetricNames.prefix + name)?.series.first?.number
        }
        func cpu() -> Double {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        }
        // Other tests run on this process's other threads meanwhile, so the figure is bracketed
        // by getrusage before and after the scrape; /proc counts in clock ticks (10 ms), so a
        // few ticks either way.
        let before = cpu()
        let scraped = value("process_cpu_seconds_total") ?? -1
        let after = cpu()
        #expect(scraped >= before - 0.05 && scraped <= after + 0.05, "scraped \(scraped), getrusage \(before) ... \(after)")
        let started = try #require(value("process_start_time_seconds"))
        // After the machine booted, not after now, and the same at every scrape.
        let now = Date().timeIntervalSince1970
        let booted = now - ProcessInfo.processInfo.systemUptime
        #expect(started > booted - 2 && started <= now + 1)
        #expect(value("process_start_time_seconds") == started)
        #expect((value("process_resident_memory_bytes") ?? 0) > 1_048_576)
        #expect((value("process_threads") ?? 0) >= 1)
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        #expect(value("process_max_fds") == Double(limit.rlim_cur))
    }
}
