import Metrics

/// What the metrics port answers, as a pure function of the request head: routing, methods,
/// and the three resources.
///
/// - `GET /metrics`: the registry's exposition, `text/plain; version=0.0.4`.
/// - `GET /healthz`: 200 `ok` while the process runs (liveness).
/// - `GET /readyz`: 200 `serving` while serving, else 503 with the state (readiness).
/// - `HEAD` of each: the same without the body. Any other method: 405 with `Allow: GET, HEAD`.
///   Any other path: 404.
public struct MetricsEndpoint: Sendable {
    /// The paths served.
    public static let paths = ["/metrics", "/healthz", "/readyz"]
    /// What `Allow` says on 405.
    public static let allowedMethods = "GET, HEAD"

    /// The metrics served at `/metrics`.
    public let registry: MetricsRegistry
    /// The state `/readyz` reports.
    public let readiness: ServiceReadiness

    /// An endpoint over `registry` and `readiness`.
    public init(registry: MetricsRegistry, readiness: ServiceReadiness) {
        self.registry = registry
        self.readiness = readiness
    }

    /// The response to `head`.
    public func respond(to head: HTTPRequestHead) -> HTTPResponse {
        guard Self.paths.contains(head.path) else {
            return .text(.notFound, "no resource at \(head.path); this port serves \(Self.paths.joined(separator: ", "))")
        }
        guard head.method == "GET" || head.method == "HEAD" else {
            return .text(
                .methodNotAllowed, "\(head.method) is not allowed on \(head.path); use GET or HEAD", fields: [("Allow", Self.allowedMethods)])
        }
        switch head.path {
        case "/metrics":
            return HTTPResponse(.ok, fields: [("Content-Type", Exposition.contentType)], body: Array(self.registry.exposition().utf8))
        case "/healthz":
            return .text(.ok, "ok")
        default:
            let state = self.readiness.state
            return .text(state == .serving ? .ok : .serviceUnavailable, state.description)
        }
    }
}
