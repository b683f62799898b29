/// The FindReviewer release this build is: the one place its version is written. Reported by
/// ServerInfoService (``ServerOptions/serverVersion``'s default) and by the server's
/// `findreviewer_build_info` metric.
public enum Release {
    /// The release version.
    public static let version = "0.1.0"
}
