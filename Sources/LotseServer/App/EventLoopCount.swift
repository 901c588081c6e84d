import Foundation
import NIOCore

/// The process's event loops: one for each core it may run on.
///
/// NIO makes one loop per core of the machine (or of a cgroup's CPU quota), not per core the process may use: a
/// server pinned to one core (`taskset`, a container's cpuset) ran two loops on it, which took turns on that core and
/// woke each other for every message that crossed from a socket on one to a socket on the other (#21, bench/README.md).
public enum EventLoopCount {
    /// Sizes NIO's process-wide event loop group to the cores the process may run on, unless
    /// `NIO_SINGLETON_GROUP_LOOP_COUNT` says otherwise: call first thing, before anything uses the group.
    public static func sizeToAffinity(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard environment["NIO_SINGLETON_GROUP_LOOP_COUNT"] == nil, let allowed = allowedCores(),
            allowed < System.coreCount
        else { return }
        NIOSingletons.groupLoopCountSuggestion = allowed
    }

    /// How many cores the process may run on (its CPU affinity, as Linux lists it in `/proc/self/status`), or nil
    /// where that cannot be read.
    static func allowedCores(status: String? = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8))
        -> Int?
    {
        guard let status,
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") })
        else { return nil }
        return cores(inList: line.dropFirst("Cpus_allowed_list:".count))
    }

    /// The number of cores in a Linux CPU list such as `0-3,8,10-11`; nil if it is not one.
    static func cores(inList list: Substring) -> Int? {
        var count = 0
        for part in list.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map {
                Int($0.trimmingCharacters(in: .whitespaces))
            }
            switch bounds.count {
            case 1: guard bounds[0] != nil else { return nil }; count += 1
            case 2:
                guard let first = bounds[0], let last = bounds[1], first <= last else { return nil }
                count += last - first + 1
            default: return nil
            }
        }
        return count > 0 ? count : nil
    }
}
