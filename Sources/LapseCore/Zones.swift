import Foundation

/// Time zones by IANA name, looked up once per name: `TimeZone(identifier:)` reads the zone
/// database and is far too slow to call for every incident of a large import.
public enum Zones {
    private static let cache = Cache()

    /// The zone with this IANA name, or nil when there is none.
    public static func named(_ identifier: String) -> TimeZone? {
        cache.zone(identifier)
    }

    /// UTC.
    public static let utc = TimeZone(identifier: "UTC")!

    private final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var zones: [String: TimeZone?] = [:]

        func zone(_ identifier: String) -> TimeZone? {
            lock.withLock {
                if let known = zones[identifier] { return known }
                let zone = TimeZone(identifier: identifier)
                zones[identifier] = zone
                return zone
            }
        }
    }
}
