import Foundation
import Glibc
import Transport

/// CPU time of this process and of a local server, so every run shows which side was busy.
public enum ProcessCPU {
    /// User + system CPU seconds this process used so far (every thread).
    public static func ownSeconds() -> Double {
        let (user, system) = self.ownUserAndSystemSeconds()
        return user + system
    }

    /// User and system CPU seconds this process used so far, apart.
    public static func ownUserAndSystemSeconds() -> (user: Double, system: Double) {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return (
            Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6, Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        )
    }

    /// User + system CPU seconds process `pid` used so far (fields 14 and 15 of /proc/PID/stat,
    /// in clock ticks), or nil when it is gone or not readable.
    public static func seconds(of pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // After "pid (comm)" come the fields from 3 (state) on; utime is 14, stime 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Whether `host` is this machine (loopback or the any-address).
    public static func isLocal(_ host: String) -> Bool {
        host.hasPrefix("127.") || host == "::1" || host == "localhost" || host == "0.0.0.0" || host == "::"
    }

    /// The process listening on TCP `port` on this machine: the listening socket's inode from
    /// /proc/net/tcp and tcp6, then the process holding a descriptor to it (only processes of the
    /// same user are readable). Nil when none is found.
    public static func listeningProcess(port: UInt16) -> Int32? {
        var inodes: Set<String> = []
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                guard fields.count > 9, fields[3] == "0A", let colon = fields[1].lastIndex(of: ":"),
                    UInt16(fields[1][fields[1].index(after: colon)...], radix: 16) == port
                else { continue }
                inodes.insert(String(fields[9]))
            }
        }
        guard !inodes.isEmpty else { return nil }
        let links = Set(inodes.map { "socket:[\($0)]" })
        let own = getpid()
        let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in processes {
            guard let pid = Int32(entry), pid != own else { continue }
            let directory = "/proc/\(entry)/fd"
            guard let descriptors = try? FileManager.default.contentsOfDirectory(atPath: directory) else { continue }
            for descriptor in descriptors {
                if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: directory + "/" + descriptor), links.contains(target) {
                    return pid
                }
            }
        }
        return nil
    }
}

/// The process's open-descriptor limit (RLIMIT_NOFILE), raised for many connections.
public enum DescriptorLimit {
    /// The soft and hard limit now.
    public static func current() -> (soft: UInt64, hard: UInt64) {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return (UInt64(limit.rlim_cur), UInt64(limit.rlim_max))
    }

    /// Raises the soft limit to at least `needed` (and the hard one, which only a privileged
    /// process may); returns nil, or what stands in the way.
    public static func raise(to needed: UInt64) -> String? {
        let (soft, hard) = self.current()
        if soft >= needed { return nil }
        var limit = rlimit(rlim_cur: rlim_t(needed), rlim_max: rlim_t(max(hard, needed)))
        if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 { return nil }
        return "this needs about \(needed) open files, and the limit is \(soft) (hard limit \(hard), which only root may raise)"
    }
}
