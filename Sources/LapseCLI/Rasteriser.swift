import Foundation

/// A program that turns an SVG into a PNG: librsvg's `rsvg-convert` (Debian's `librsvg2-bin`),
/// else a headless Chromium. Found on `PATH`; Lapse has no rasteriser of its own.
struct Rasteriser {
    enum Kind { case rsvg, chromium }
    let kind: Kind
    let path: String

    /// What to install when none is found.
    static let install = "install librsvg2-bin (rsvg-convert) or chromium, e.g. apt-get install librsvg2-bin"

    /// The first rasteriser on the `PATH` of `environment`: rsvg-convert, chromium, chromium-browser.
    static func find(environment: [String: String]) -> Rasteriser? {
        let folders = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for (name, kind) in [("rsvg-convert", Kind.rsvg), ("chromium", .chromium), ("chromium-browser", .chromium)] {
            for folder in folders where !folder.isEmpty {
                let candidate = folder + "/" + name
                if FileManager.default.isExecutableFile(atPath: candidate) { return Rasteriser(kind: kind, path: candidate) }
            }
        }
        return nil
    }

    /// The PNG of an SVG document of the given size, one pixel per SVG unit.
    func png(svg: String, width: Int, height: Int) throws -> [UInt8] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lapse-chart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent(kind == .rsvg ? "chart.svg" : "chart.html")
        let output = folder.appendingPathComponent("chart.png")
        let arguments: [String]
        switch kind {
        case .rsvg:
            try svg.write(to: input, atomically: false, encoding: .utf8)
            arguments = ["--format", "png", "--output", output.path, input.path]
        case .chromium:
            // The page is the drawing at its size, nothing around it.
            let body = svg.replacingOccurrences(of: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", with: "")
            try ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"margin:0\">" + body + "</body></html>")
                .write(to: input, atomically: false, encoding: .utf8)
            arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=\(width),\(height)",
                         "--screenshot=\(output.path)", input.absoluteString]
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: output.path),
              data.starts(with: [0x89, 0x50, 0x4E, 0x47]) else {
            let detail = String(decoding: message, as: UTF8.self).split(separator: "\n").last.map { ": \($0)" } ?? ""
            throw CommandError.writeFailed(path: output.path, reason: "\(path) did not make a PNG (exit \(process.terminationStatus))\(detail); nothing was written")
        }
        return [UInt8](data)
    }
}
