import Foundation
import LapseCLI
import LapseCore
import LapseStore

/// Benchmarks of the engine and the store's set-based loads, on synthetic data.
/// Run in release mode: `swift run -c release lapse-bench [INCIDENTS] [RUNS] [engine|store]`.
@main
enum Entrypoint {
    static func main() throws {
        LapseDatabase.configureProcess()
        let args = CommandLine.arguments.dropFirst()
        let count = args.first.flatMap(Int.init) ?? 100_000
        let runs = args.dropFirst().first.flatMap(Int.init) ?? 5
        let only = args.dropFirst(2).first  // "engine" or "store" to run one part
        print("lapse-bench: \(count) incidents, median of \(runs) runs, \(ProcessInfo.processInfo.activeProcessorCount) cores")

        var data = SyntheticData(incidents: count, seed: 1)
        let parties = data.parties()
        let incidents = (0..<count).map { data.incident($0) }
        let events = incidents.reduce(0) { $0 + $1.events.count }
        print("data: \(events) events")

        if only != "store" {
        report("engine: delays, 8 named metrics", runs: runs, per: count) {
            let engine = DelayEngine()
            var measured = 0
            for incident in incidents {
                for outcome in engine.delays(for: incident) where outcome.delay != nil { measured += 1 }
            }
            return measured
        }
        report("engine: stats input (midpoints by year)", runs: runs, per: count) {
            let engine = DelayEngine()
            var groups: [Int: [DayDelay]] = [:]
            for incident in incidents {
                for outcome in engine.delays(for: incident) { if let d = outcome.delay { groups[d.fromEvent.at.year, default: []].append(d.days) } }
            }
            return groups.compactMap { DelaySummary(group: String($0.key), metric: "all", delays: $0.value) }.count
        }
        report("engine: timeline order", runs: runs, per: count) {
            incidents.reduce(0) { $0 + Timeline($1).entries.count }
        }

        }
        guard only != "engine" else { return }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lapse-bench-\(getpid()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let db = try LapseDatabase.open(path: path)
        report("store: import (one transaction)", runs: 1, per: count) {
            try! db.importing { s in
                for p in parties { try s.add(p, at: RecordLocation()) }
                for i in incidents { try s.add(i, at: RecordLocation()) }
            }
            return count
        }
        report("store: load for delays", runs: runs, per: count) {
            try! db.measurementSet(matching: IncidentFilter()).incidents.count
        }
        report("store: company query", runs: runs, per: 1) {
            try! db.incidentSummaries(matching: IncidentFilter(company: "globex")).count
        }
        report("store: search", runs: runs, per: 1) {
            try! db.search("ransomware credentials", limit: 20).count
        }
    }

    /// Runs `body` `runs` times and prints the median wall time.
    static func report(_ name: String, runs: Int, per: Int, _ body: () -> Int) {
        var times: [Double] = []
        var result = 0
        for _ in 0..<runs {
            let start = ContinuousClock.now
            result = body()
            let elapsed = ContinuousClock.now - start
            times.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        }
        times.sort()
        let median = times[times.count / 2]
        let perItem = median * 1e6 / Double(max(per, 1))
        print(String(format: "%-42@ %10.1f ms  %10.0f ns/item  (result %d)", name as NSString, median, perItem, result))
    }
}
