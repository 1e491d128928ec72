import Foundation
import LapseCore
import LapseReports

/// `lapse export --format lapse`: the `lapse/1` document written one record at a time, byte for
/// byte what encoding the whole `LapseDocument` with `jsonString` gives (keys sorted, so
/// `format`, then `incidents`, then `parties`), without ever holding the whole document.
enum LapseDocumentExport {
    /// The pretty-printed JSON document; returns the number of incidents written.
    /// With `history` (oldest first), the change log as the document's `history` array.
    static func write(_ reader: any IncidentExportReader, history: [Change]? = nil, to out: any TextOutput) throws -> Int {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try out.write("{\n  \"format\" : \"\(LapseDocument.formatName)\",\n")
        if let history {
            try out.write("  \"history\" : [\n")
            for (i, change) in history.enumerated() {
                try out.write((i == 0 ? "" : ",\n") + element(try encoder.encode(change)))
            }
            try out.write("\n  ],\n")
        }
        try out.write("  \"incidents\" : [\n")
        var incidents = 0
        try reader.forEachIncidentBatch { batch in
            for incident in batch {
                try out.write((incidents == 0 ? "" : ",\n") + element(try encoder.encode(incident)))
                incidents += 1
            }
        }
        try out.write("\n  ],\n  \"parties\" : [\n")
        var parties = 0
        try reader.forEachPartyBatch { batch in
            for party in batch {
                try out.write((parties == 0 ? "" : ",\n") + element(try encoder.encode(party)))
                parties += 1
            }
        }
        try out.write("\n  ]\n}\n")
        return incidents
    }

    /// A value encoded on its own, indented as an element of a top-level array (the encoder
    /// indents by two spaces a level; blank lines, inside empty arrays, stay blank).
    /// Newlines inside strings are escaped, so every raw newline is the encoder's own.
    static func element(_ json: Data) -> String {
        Escape.json(String(decoding: json, as: UTF8.self)).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
    }

    /// JSON Lines: parties first, then incidents, one record per line; returns the number of incidents.
    static func writeLines(_ reader: any IncidentExportReader, to out: any TextOutput) throws -> Int {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func line(_ record: LapseRecord) throws -> String {
            Escape.json(String(decoding: try encoder.encode(record), as: UTF8.self)) + "\n"
        }
        try reader.forEachPartyBatch { batch in
            for party in batch { try out.write(try line(.party(party))) }
        }
        var incidents = 0
        try reader.forEachIncidentBatch { batch in
            for incident in batch { try out.write(try line(.incident(incident))) }
            incidents += batch.count
        }
        return incidents
    }
}
