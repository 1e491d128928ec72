import Foundation
import LapseCore

/// The parties: listing them and adding one.
public struct PartyRegistry: Sendable {
    let store: any IncidentReading & IncidentWriting

    public init(store: any IncidentReading & IncidentWriting) { self.store = store }

    /// Every party of a kind (all for nil), in id order.
    public func parties(ofKind kind: PartyKind? = nil) throws -> [Party] {
        try store.parties(ofKind: kind)
    }

    /// Adds a new party; `DataProblems` when the id is taken or the party is invalid.
    public func add(_ party: Party, as context: ChangeContext) throws {
        try store.addNewParty(party, as: context)
    }

    /// `add` with the author from the environment.
    public func add(_ party: Party) throws {
        try add(party, as: .fromEnvironment(command: "party add \(party.id)"))
    }
}
