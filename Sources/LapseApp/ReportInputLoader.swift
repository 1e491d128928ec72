import Foundation
import LapseCore
import LapseReports

/// Gathers what each report is built from (`ReportInput`): the incidents, the parties, the
/// consistency findings, the whole database's delays for comparisons, the deadline verdicts.
public struct ReportInputLoader: Sendable {
    let store: any MeasuringStore
    /// Seconds since 1970 UTC, for judging open notification clocks.
    let now: Int

    public init(store: any MeasuringStore, now: Int) {
        self.store = store
        self.now = now
    }

    /// One incident with its findings and the verdicts of the rules that apply;
    /// `StoreLookupError` when there is no such incident.
    public func incident(_ id: String) throws -> (incident: Incident, input: ReportInput) {
        guard let found = try store.incident(withID: id) else { throw StoreLookupError.noIncident(id) }
        var input = try input(incidents: [found], withDatabaseDelays: false)
        input.deadlines[found.id] = DeadlineReview(store: store, now: now).applicable(to: found, parties: input.parties)
        return (found, input)
    }

    /// A company's incidents (with its subsidiaries'), compared with the whole database, and
    /// the report's title: the name of the one party `name` means (`CompanyResolver`), or with
    /// `allMatches` every party it matches, titled by the query. A `DataProblem` when nothing
    /// matches, when the name is ambiguous without `allMatches`, or when no incident matches.
    public func company(_ name: String, allMatches: Bool = false) throws -> (title: String, input: ReportInput) {
        let filter: IncidentFilter
        let title: String
        if allMatches {
            filter = IncidentFilter(company: name)
            title = name
        } else {
            let party = try CompanyResolver(store: store).resolve(name)
            filter = IncidentFilter(organizations: [party.id])
            title = party.name
        }
        let incidents = try store.incidents(selectedBy: filter)
        guard !incidents.isEmpty else {
            throw DataProblem(path: "", message: "no incidents match the company \"\(name)\"; `lapse parties --kind organization` lists the companies")
        }
        return (title, try input(incidents: incidents, withDatabaseDelays: true))
    }

    /// The incidents a filter selects (every incident by default), for the portfolio report.
    /// Holds them all: `portfolioReport` reads them a batch at a time instead.
    public func portfolio(_ filter: IncidentFilter = IncidentFilter()) throws -> ReportInput {
        let set = try store.measurementSet(selectedBy: filter, withText: false)
        return ReportInput(incidents: set.incidents, parties: set.parties, findings: [:], databaseDelays: [:])
    }

    /// The portfolio report on the incidents a filter selects (every incident by default), built
    /// as they are read a batch at a time, with the input its renderer needs (no incidents).
    public func portfolioReport(_ filter: IncidentFilter = IncidentFilter()) throws -> (input: ReportInput, report: PortfolioReport) {
        var portfolio = ReportBuilder.Portfolio()
        try IncidentSelection(filter).forEachIncident(in: store) { incident, parties in portfolio.add(incident, parties: parties) }
        return (ReportInput(incidents: [], parties: [:], findings: [:], databaseDelays: [:]), portfolio.report())
    }

    /// Findings for the incidents, with people and subsidiaries acting for their organizations.
    func input(incidents: [Incident], withDatabaseDelays: Bool) throws -> ReportInput {
        let parties = try store.partiesByID()
        let engine = DelayEngine()
        var findings: [String: [Finding]] = [:]
        for incident in incidents {
            findings[incident.id] = ConsistencyChecker.check(incident, engine: engine) { MeasurementSet.actsFor($0, in: parties) }
        }
        var databaseDelays: [String: [DayDelay]] = [:]
        if withDatabaseDelays {
            try IncidentSelection().forEachIncident(in: store) { incident, _ in
                for d in engine.delays(for: incident).compactMap(\.delay) { databaseDelays[d.metric, default: []].append(d.days) }
            }
        }
        return ReportInput(incidents: incidents, parties: parties, findings: findings, databaseDelays: databaseDelays)
    }
}
