#!/usr/bin/env python3
"""The peers `scripts/bench` measures Lapse against: what a user would write instead.

Usage:
  bench-peers.py csv FILE.jsonl OUT.csv       events as CSV for `sqlite3 .import` (not timed)
  bench-peers.py import FILE.jsonl DB         plain Python: json + sqlite3 modules
  bench-peers.py delays DB                    plain Python: the named delays as CSV on stdout
  bench-peers.py pandas-import FILE.jsonl DB  pandas: read_json(lines=True) + to_sql
  bench-peers.py pandas-delays DB             pandas: read_sql + groupby + to_csv
  bench-peers.py sql                          the one SQL query for the delays, on stdout

The delay peers read the database Lapse wrote (the same rows `lapse delays` reads) and
compute the eight named metrics as MIN over event types per incident: no ordering of
partial dates by precision, no time zones. Python and pandas give day ranges for partial
dates (month precision covers the whole month); the SQL query gives whole days between the
first instants only. See Docs/performance.md.
"""
import csv
import json
import sqlite3
import sys

# metric: (from types, to types), as in Sources/LapseCore/Delays.swift
METRICS = [
    ("time-to-detect", ("intrusion",), ("detection",)),
    ("time-to-acknowledge", ("outage_start", "detection"), ("acknowledgment", "disclosure", "apology")),
    ("time-to-disclose", ("detection",), ("disclosure",)),
    ("time-in-the-dark", ("intrusion", "outage_start"), ("disclosure", "customer_notification")),
    ("time-to-apologize", ("outage_start", "detection"), ("apology",)),
    ("time-to-notify-regulator", ("detection",), ("regulator_notification",)),
    ("time-to-notify-customers", ("detection",), ("customer_notification",)),
    ("outage-duration", ("outage_start",), ("outage_end", "restoration")),
]

EVENT_COLUMNS = ["incident_id", "organization_id", "position", "id", "type", "at", "until", "party_id",
                 "summary", "quote", "channel", "audience", "language", "source_url"]


def events_of(record):
    inc = record["incident"]
    for i, e in enumerate(inc.get("events", [])):
        st = e.get("statement") or {}
        src = e.get("sources") or []
        yield (inc["id"], inc["organization"], i, e.get("id"), e["type"], e["at"], e.get("until"), e.get("party"),
               e.get("summary"), st.get("quote"), st.get("channel"), st.get("audience"), st.get("language"),
               src[0]["url"] if src else None)


def to_csv(jsonl, out):
    with open(jsonl) as f, open(out, "w", newline="") as o:
        w = csv.writer(o)
        w.writerow(EVENT_COLUMNS)
        for line in f:
            record = json.loads(line)
            if "incident" in record:
                w.writerows(events_of(record))


def python_import(jsonl, db):
    con = sqlite3.connect(db)
    con.executescript("""
        CREATE TABLE party (id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, parent_id TEXT, affiliation_id TEXT);
        CREATE TABLE incident (id TEXT PRIMARY KEY, title TEXT NOT NULL, organization_id TEXT NOT NULL, summary TEXT,
                               records_affected INTEGER, timezone TEXT);
        CREATE TABLE event (incident_id TEXT NOT NULL, organization_id TEXT, position INTEGER NOT NULL, id TEXT,
                            type TEXT NOT NULL, at TEXT NOT NULL, until TEXT, party_id TEXT, summary TEXT, quote TEXT,
                            channel TEXT, audience TEXT, language TEXT, source_url TEXT);
        CREATE INDEX event_incident ON event(incident_id, position);
        CREATE INDEX event_type ON event(type, incident_id);
    """)
    parties, incidents, events = [], [], []
    with con, open(jsonl) as f:
        for line in f:
            record = json.loads(line)
            if "party" in record:
                p = record["party"]
                parties.append((p["id"], p["name"], p["kind"], p.get("parent"), p.get("affiliation")))
            else:
                inc = record["incident"]
                incidents.append((inc["id"], inc["title"], inc["organization"], inc.get("summary"),
                                  inc.get("records_affected"), inc.get("timezone")))
                events.extend(events_of(record))
                if len(events) > 50_000:
                    con.executemany(f"INSERT INTO event VALUES ({','.join('?' * len(EVENT_COLUMNS))})", events)
                    events.clear()
        con.executemany("INSERT INTO party VALUES (?,?,?,?,?)", parties)
        con.executemany("INSERT INTO incident VALUES (?,?,?,?,?,?)", incidents)
        con.executemany(f"INSERT INTO event VALUES ({','.join('?' * len(EVENT_COLUMNS))})", events)
    con.close()


def day_range(at):
    """First and last day (proleptic ordinal) an EventTime's date covers: 2016-10 is Oct 1 to Oct 31."""
    import datetime
    y = int(at[0:4])
    if len(at) >= 10 and at[8:10].isdigit():
        d = datetime.date(y, int(at[5:7]), int(at[8:10])).toordinal()
        return d, d
    if len(at) >= 7 and at[5:7].isdigit():
        m = int(at[5:7])
        first = datetime.date(y, m, 1).toordinal()
        last = (datetime.date(y + (m == 12), m % 12 + 1, 1).toordinal()) - 1
        return first, last
    return datetime.date(y, 1, 1).toordinal(), datetime.date(y, 12, 31).toordinal()


def python_delays(db):
    con = sqlite3.connect(db)
    w = csv.writer(sys.stdout)
    w.writerow(["incident", "organization", "metric", "from_type", "from", "to_type", "to", "days_min", "days_max"])
    rows = con.execute("""
        SELECT e.incident_id, p.name, e.type, e.at FROM event e
        JOIN incident i ON i.id = e.incident_id JOIN party p ON p.id = i.organization_id
        ORDER BY e.incident_id, e.position""")

    def flush(incident, organization, earliest):
        for name, froms, tos in METRICS:
            f = min((earliest[t] for t in froms if t in earliest), default=None)
            t = min((earliest[t] for t in tos if t in earliest), default=None)
            if f and t:
                w.writerow([incident, organization, name, f[2], f[1], t[2], t[1], t[0][0] - f[0][1], t[0][1] - f[0][0]])

    current, organization, earliest = None, None, {}
    for incident, org, type_, at in rows:
        if incident != current:
            if current is not None:
                flush(current, organization, earliest)
            current, organization, earliest = incident, org, {}
        r = (day_range(at), at, type_)
        if type_ not in earliest or r < earliest[type_]:
            earliest[type_] = r
    if current is not None:
        flush(current, organization, earliest)


def pandas_import(jsonl, db):
    import pandas as pd
    records = pd.read_json(jsonl, lines=True)
    parties = pd.json_normalize(records["party"].dropna().tolist())
    incidents = records["incident"].dropna().tolist()
    events = pd.json_normalize(incidents, record_path="events", meta=["id", "organization"], meta_prefix="incident_",
                               errors="ignore")
    events = events.drop(columns=[c for c in events.columns if c == "sources"])
    heads = pd.json_normalize(incidents).drop(columns=["events"])
    con = sqlite3.connect(db)
    parties.drop(columns=[c for c in parties.columns if c == "aliases"]).to_sql("party", con, index=False)
    heads.astype({c: str for c in heads.columns if heads[c].dtype == object}).to_sql("incident", con, index=False)
    events.to_sql("event", con, index=False)
    con.execute("CREATE INDEX event_incident ON event(incident_id)")
    con.execute("CREATE INDEX event_type ON event(type, incident_id)")
    con.commit()
    con.close()


def pandas_delays(db):
    import pandas as pd
    con = sqlite3.connect(db)
    ev = pd.read_sql("""SELECT e.incident_id, p.name AS organization, e.type, e.at FROM event e
                        JOIN incident i ON i.id = e.incident_id JOIN party p ON p.id = i.organization_id""", con)
    full = ev["at"].str.len() >= 10
    first = pd.to_datetime(ev["at"].str.slice(0, 10).where(full, ev["at"].str.slice(0, 7) + "-01"), format="%Y-%m-%d")
    last = first.where(full, first + pd.offsets.MonthEnd(0))
    ev["first"], ev["last"] = first, last
    earliest = ev.sort_values("first").groupby(["incident_id", "type"], sort=False).first().reset_index()
    out = []
    for name, froms, tos in METRICS:
        f = earliest[earliest["type"].isin(froms)].sort_values("first").groupby("incident_id").first()
        t = earliest[earliest["type"].isin(tos)].sort_values("first").groupby("incident_id").first()
        j = f.merge(t, left_index=True, right_index=True, suffixes=("_f", "_t"))
        out.append(pd.DataFrame({
            "incident": j.index, "organization": j["organization_f"].values, "metric": name,
            "from_type": j["type_f"].values, "from": j["at_f"].values, "to_type": j["type_t"].values, "to": j["at_t"].values,
            "days_min": (j["first_t"] - j["last_f"]).dt.days.values, "days_max": (j["last_t"] - j["first_f"]).dt.days.values}))
    pd.concat(out).sort_values(["incident"], kind="stable").to_csv(sys.stdout, index=False)


def delays_sql():
    """One query: MIN(first_instant) per incident over each metric's event types, whole days between."""
    def col(types):
        return "min(CASE WHEN type IN (" + ", ".join(f"'{t}'" for t in types) + ") THEN first_instant END)"
    ends = []
    for i, (name, froms, tos) in enumerate(METRICS):
        ends.append(f"{col(froms)} AS f{i}, {col(tos)} AS t{i}")
    picks_f = " ".join(f"WHEN {i} THEN f{i}" for i in range(len(METRICS)))
    picks_t = " ".join(f"WHEN {i} THEN t{i}" for i in range(len(METRICS)))
    names = ", ".join(f"({i}, '{m[0]}')" for i, m in enumerate(METRICS))
    return f""".headers on
.mode csv
WITH ends AS (SELECT incident_id, {", ".join(ends)} FROM event GROUP BY incident_id),
metric(k, name) AS (VALUES {names}),
pairs AS (SELECT e.incident_id, m.k, m.name, CASE m.k {picks_f} END AS f, CASE m.k {picks_t} END AS t
          FROM ends e CROSS JOIN metric m)
SELECT pairs.incident_id AS incident, p.name AS organization, pairs.name AS metric,
       date(f, 'unixepoch') AS "from", date(t, 'unixepoch') AS "to",
       CAST(julianday(date(t, 'unixepoch')) - julianday(date(f, 'unixepoch')) AS INTEGER) AS days,
       round((t - f) / 3600.0, 2) AS hours
FROM pairs JOIN incident i ON i.id = pairs.incident_id JOIN party p ON p.id = i.organization_id
WHERE f IS NOT NULL AND t IS NOT NULL
ORDER BY pairs.incident_id, pairs.k;
"""


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {"csv": to_csv, "import": python_import, "delays": python_delays, "pandas-import": pandas_import,
     "pandas-delays": pandas_delays, "sql": lambda: sys.stdout.write(delays_sql())}[command](*args)
