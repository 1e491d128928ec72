import Foundation
import Testing
@testable import LapseCore

@Suite("Company names folded byte by byte")
struct CompanyMatchFoldingTests {
    /// The records of the Washington State list: 1,109 real organization names in their context.
    static func realNames() throws -> [String] {
        let csv = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("LapseCLITests/Fixtures/datasets/wa-ag-breach-notifications.csv")
        let text = try String(contentsOf: csv, encoding: .utf8)
        // Each whole record: the organization's name with the dates and punctuation around it.
        return text.split(whereSeparator: \.isNewline).dropFirst().map(String.init)
    }

    @Test("the ASCII path gives what Foundation's folding gives, for real names and every ASCII character")
    func asciiPathAgrees() throws {
        var samples = try Self.realNames()
        #expect(samples.count > 1_000)
        samples += ["  SONY   Computer ", "McDonald's", "T-Mobile US, Inc.", "a ' b", "x'", "\r\nA\tB\u{0B}C\u{0C}D\u{0}E\u{1F}F", "", "   "]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let length = Int.random(in: 0...24, using: &generator)
            samples.append(String(decoding: (0..<length).map { _ in UInt8.random(in: 0...0x7F, using: &generator) }, as: UTF8.self))
        }
        var ascii = 0
        for text in samples {
            let fast = ASCIIName(text)
            guard let fast else {
                #expect(text.utf8.contains { $0 >= 0x80 }, "only non-ASCII text leaves the fast path: \(text.debugDescription)")
                continue
            }
            ascii += 1
            #expect(fast.normalized == CompanyMatch.normalizeAnyText(text), "\(text.debugDescription)")
            #expect(fast.normalized == CompanyMatch.foldAnyText(text), "\(text.debugDescription)")
            #expect(fast.words.filter { !CompanyMatch.legalForms.contains($0) } == CompanyMatch.significantWordsAnyText(text), "\(text.debugDescription)")
        }
        #expect(ascii > 2_500, "most samples are ASCII")
    }
}
