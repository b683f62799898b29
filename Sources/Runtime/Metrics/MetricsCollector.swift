/// Something that produces whole families at scrape time, from state it reads then (the
/// process collector reads /proc/self).
public protocol MetricsCollector: Sendable {
    /// The families now; called on the scraping thread, so it must be quick and not block on
    /// the hot path's locks for long.
    func collect() -> [MetricFamilySnapshot]
}
