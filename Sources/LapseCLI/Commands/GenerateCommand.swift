import ArgumentParser
import Foundation

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a deterministic synthetic dataset as lapse/1 JSON Lines (for benchmarks and demos).",
        discussion: """
            The same --incidents and --seed always give the same bytes. Incidents average about ten \
            events, with a long tail; dates mix month, day, minute and second precision.

            Examples:
              lapse generate --incidents 1000 > demo.jsonl
              lapse generate --incidents 100000 --seed 7 > big.jsonl
              lapse import big.jsonl --db big.sqlite
            """
    )

    @Option(help: "How many incidents.")
    var incidents: Int

    @Option(help: "The random seed.")
    var seed: UInt64 = 1

    func validate() throws {
        if incidents < 1 || incidents > 10_000_000 { throw ValidationError("--incidents must be between 1 and 10,000,000") }
    }

    func run() throws {
        let console = Console.current
        var data = SyntheticData(incidents: incidents, seed: seed)
        var buffer = ""
        buffer.reserveCapacity(1 << 20)
        try data.write { text in
            buffer += text
            if buffer.utf8.count > 1 << 20 {
                console.write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        console.write(buffer)
    }
}
