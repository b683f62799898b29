import Metrics
import Testing

/// Broken names and late registrations are programming errors: they trap at start, where a
/// test of the server's set-up finds them, never at a scrape.
@Suite("Registration rules")
struct RegistrationRuleTests {
    @Test("a counter not ending in _total traps")
    func counterSuffix() async {
        await #expect(processExitsWith: .failure) {
            _ = MetricsRegistry().counter("findreviewer_calls", help: "h")
        }
    }

    @Test("a name without the findreviewer_ prefix traps")
    func prefix() async {
        await #expect(processExitsWith: .failure) {
            MetricsRegistry().gauge("process_open_fds", help: "h", value: { 1 })
        }
    }

    @Test("the same name twice traps, also as a histogram's _count")
    func duplicate() async {
        await #expect(processExitsWith: .failure) {
            let registry = MetricsRegistry()
            _ = registry.histogram("findreviewer_x_seconds", help: "h", unit: .seconds, buckets: [1])
            registry.gauge("findreviewer_x_seconds_count", help: "h", value: { 1 })
        }
    }

    @Test("a cell-backed family registered after the first shard traps")
    func lateRegistration() async {
        await #expect(processExitsWith: .failure) {
            let registry = MetricsRegistry()
            _ = registry.makeShard(name: "loop")
            _ = registry.counter("findreviewer_late_total", help: "h")
        }
    }

    @Test("scrape-time families may still be added after the first shard")
    func lateScrapeFamily() {
        let registry = MetricsRegistry()
        _ = registry.makeShard(name: "loop")
        registry.gauge("findreviewer_outbox_backlog", help: "h", value: { 4 })
        #expect(registry.snapshot().first?.series.first?.number == 4)
    }

    @Test("a label value index out of range traps instead of writing another series' cell")
    func indexOutOfRange() async {
        await #expect(processExitsWith: .failure) {
            let registry = MetricsRegistry()
            let calls = registry.counters(
                "findreviewer_calls_total", help: "h", labels: [LabelDimension("method", ["a", "b"]), LabelDimension("code", ["OK"])])
            _ = calls[2, 0]
        }
    }
}
