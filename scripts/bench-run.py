#!/usr/bin/env python3
"""Runs the benchmark tasks of Docs/performance.md against their peers; `scripts/bench` calls it.

Each task runs as a whole process, several times; we report the median wall time, the fastest,
and the peak resident memory (GNU time's %M, the largest over the runs). Setup (removing the
database before an import) is outside the timing.
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.path.join(HERE, "bench-peers.py")
SEED = "7"
COMPANY = "globex"
SEARCH = ["ransomware", "credentials"]


def remove_db(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def measure(cmd, runs, setup=None, stdin=None, quick_runs=10):
    """Median and min wall seconds and peak RSS (MiB) of `cmd`; short tasks get `quick_runs` runs."""
    times, rss = [], 0
    rss_file = "/tmp/lapse-bench-rss"
    n, i = runs, 0
    while i < n:
        if setup:
            setup()
        src = open(stdin) if stdin else subprocess.DEVNULL
        start = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file] + cmd, stdin=src,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - start
        if stdin:
            src.close()
        if done.returncode != 0:
            sys.exit(f"bench: failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr.decode()[-2000:]}")
        times.append(elapsed)
        with open(rss_file) as f:
            rss = max(rss, int(f.read().split()[-1]) / 1024)
        if i == 0 and elapsed < 1.0:
            n = max(runs, quick_runs)
        i += 1
    return {"median": statistics.median(times), "min": min(times), "rss": rss, "runs": len(times)}


def machine(lapse):
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    mem = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal"))
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    sqlite = subprocess.run(["sqlite3", "--version"], capture_output=True, text=True).stdout.split()[0]
    try:
        import pandas
        pandas_version = pandas.__version__
    except ImportError:
        pandas_version = None
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem / 1024 / 1024), "swift": swift,
            "sqlite3": sqlite, "python": platform.python_version(), "pandas": pandas_version,
            "kernel": platform.release(), "date": time.strftime("%Y-%m-%d")}


def fmt_time(s):
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lapse", required=True)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default="/tmp/lapse-bench")
    ap.add_argument("--no-pandas", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    lapse = args.lapse
    try:
        import pandas  # noqa: F401
        have_pandas = not args.no_pandas
    except ImportError:
        have_pandas = False
    info = machine(lapse)
    results = {"machine": info, "sizes": {}}
    sql = os.path.join(args.work, "delays.sql")
    with open(sql, "w") as f:
        f.write(subprocess.run([sys.executable, PEERS, "sql"], capture_output=True, text=True, check=True).stdout)

    for size in [int(s) for s in args.sizes.split(",")]:
        w = lambda name: os.path.join(args.work, f"{size}-{name}")
        data, events_csv = w("data.jsonl"), w("events.csv")
        if not os.path.exists(data):
            with open(data + ".tmp", "w") as f:
                subprocess.run([lapse, "generate", "--incidents", str(size), "--seed", SEED], stdout=f, check=True)
            os.rename(data + ".tmp", data)
        if not os.path.exists(events_csv):
            subprocess.run([sys.executable, PEERS, "csv", data, events_csv], check=True)
        events = sum(1 for _ in open(events_csv)) - 1
        db, sqlite_db, py_db, pd_db = w("lapse.sqlite"), w("sqlite3.sqlite"), w("python.sqlite"), w("pandas.sqlite")
        rows = []

        def run(task, tool, cmd, **kw):
            r = measure(cmd, args.runs, **kw)
            r.update(task=task, tool=tool)
            rows.append(r)
            print(f"  {size:>7} {task:<22} {tool:<10} {fmt_time(r['median']):>10}  {r['rss']:7.0f} MiB  ({r['runs']} runs)",
                  file=sys.stderr, flush=True)

        import_sql = w("import.sql")
        with open(import_sql, "w") as f:
            f.write("CREATE TABLE event (incident_id TEXT, organization_id TEXT, position INTEGER, id TEXT, type TEXT, at TEXT,"
                    " until TEXT, party_id TEXT, summary TEXT, quote TEXT, channel TEXT, audience TEXT, language TEXT, source_url TEXT);\n"
                    "CREATE INDEX event_incident ON event(incident_id, position);\n"
                    "CREATE INDEX event_type ON event(type, incident_id);\n"
                    f".import --csv --skip 1 {events_csv} event\n")
        run("import", "sqlite3", ["sqlite3", sqlite_db], setup=lambda: remove_db(sqlite_db), stdin=import_sql)
        run("import", "python", [sys.executable, PEERS, "import", data, py_db], setup=lambda: remove_db(py_db))
        if have_pandas:
            run("import", "pandas", [sys.executable, PEERS, "pandas-import", data, pd_db], setup=lambda: remove_db(pd_db))
        run("import", "lapse", [lapse, "import", "--db", db, data], setup=lambda: remove_db(db))

        run("delays", "sqlite3", ["sqlite3", "-readonly", db], stdin=sql)
        run("delays", "python", [sys.executable, PEERS, "delays", db])
        if have_pandas:
            run("delays", "pandas", [sys.executable, PEERS, "pandas-delays", db])
        run("delays", "lapse", [lapse, "delays", "--db", db, "--format", "csv"])

        run("stats --by year", "lapse", [lapse, "stats", "--db", db, "--by", "year"])

        # The shell runs the very queries Lapse runs (Reading.swift): the floor for the answer.
        company_sql = ("SELECT i.id, i.title, i.organization_id, p.name, i.records_affected, i.kinds, i.first_at, i.event_count "
                       "FROM incident i JOIN party p ON p.id = i.organization_id WHERE i.organization_id IN "
                       f"(WITH RECURSIVE m(id) AS (SELECT party_id FROM party_term WHERE term = '{COMPANY}' "
                       "UNION SELECT p.id FROM party p JOIN m ON p.parent_id = m.id) SELECT id FROM m) "
                       "ORDER BY i.first_instant IS NULL, i.first_instant, i.id;")
        run("incidents --company", "sqlite3", ["sqlite3", "-readonly", db, company_sql])
        run("incidents --company", "lapse", [lapse, "incidents", "--db", db, "--company", COMPANY])
        # Search ranks each full-text index alone and keeps its best rows; the shell does it in one
        # pass on one core (Lapse ranks a large event index in two parts on two connections), and
        # leaves out the twenty primary-key reads of the hits shown.
        pattern = " ".join(f"{w}*" for w in SEARCH)
        ranked = " UNION ALL ".join(
            f"SELECT * FROM (SELECT '{kind}' AS kind, rowid, bm25({table}) AS score FROM {table} "
            f"WHERE {table} MATCH '{pattern}' ORDER BY score, rowid LIMIT 20)"
            for kind, table in [("event", "event_fts"), ("incident", "incident_fts"), ("party", "party_fts")])
        search_sql = f"SELECT kind, rowid, score FROM ({ranked}) ORDER BY score, kind, rowid LIMIT 20;"
        run("search", "sqlite3", ["sqlite3", "-readonly", db, search_sql])
        run("search", "lapse", [lapse, "search", "--db", db] + SEARCH)
        run("report all --format html", "lapse", [lapse, "report", "all", "--db", db, "--format", "html"])
        run("start-up (--version)", "lapse", [lapse, "--version"])
        results["sizes"][size] = {"events": events, "rows": rows}

    with open(os.path.join(args.work, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    print(report(results))


def report(results):
    m = results["machine"]
    out = [f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, Linux {m['kernel']}; {m['swift']}; "
           f"sqlite3 {m['sqlite3']}; Python {m['python']}" + (f", pandas {m['pandas']}" if m["pandas"] else "") + f"; {m['date']}.", ""]
    sizes = sorted(results["sizes"], key=int)
    for size in sizes:
        s = results["sizes"][size]
        out += [f"**{int(size):,} incidents ({s['events']:,} events)**", "",
                "| task | tool | median | fastest | peak RSS | Lapse / this |", "|---|---|---:|---:|---:|---:|"]
        lapse_by_task = {r["task"]: r for r in s["rows"] if r["tool"] == "lapse"}
        for r in s["rows"]:
            l = lapse_by_task.get(r["task"])
            ratio = "" if r["tool"] == "lapse" or not l else f"{l['median'] / r['median']:.2f}"
            out.append(f"| {r['task']} | {r['tool']} | {fmt_time(r['median'])} | {fmt_time(r['min'])} | {r['rss']:.0f} MiB | {ratio} |")
        out.append("")
    if len(sizes) >= 2:
        a, b = results["sizes"][sizes[0]], results["sizes"][sizes[-1]]
        factor = int(sizes[-1]) / int(sizes[0])
        out += [f"Growth from {int(sizes[0]):,} to {int(sizes[-1]):,} incidents ({factor:.0f}x the data):", "",
                "| task | tool | time ratio | RSS ratio |", "|---|---|---:|---:|"]
        small = {(r["task"], r["tool"]): r for r in a["rows"]}
        for r in b["rows"]:
            if (r["task"], r["tool"]) in small:
                x = small[(r["task"], r["tool"])]
                out.append(f"| {r['task']} | {r['tool']} | {r['median'] / x['median']:.1f}x | {r['rss'] / x['rss']:.1f}x |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    main()
