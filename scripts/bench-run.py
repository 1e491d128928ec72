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
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.path.join(HERE, "bench-peers.py")
SEED = "7"
COMPANY = "globex"
SEARCH = ["ransomware", "credentials"]
AS_OF = "2026-01-01"


def remove_db(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def peak_heap_kib(pid):
    """Resident anonymous memory of a running process (KiB): the heap and other private memory,
    without the pages of memory-mapped files (the database read through `PRAGMA mmap_size`)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def run_once(cmd, stdin=None):
    """Runs `cmd` once: wall seconds, CPU seconds (user + system), peak RSS (MiB, the kernel's
    high-water mark, what GNU time's %M gives) and peak heap (MiB: resident anonymous memory
    sampled every 5 ms, mapped file pages excluded)."""
    src = open(stdin) if stdin else subprocess.DEVNULL
    err = tempfile.TemporaryFile()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=src, stdout=subprocess.DEVNULL, stderr=err)
    heap = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        heap = max(heap, peak_heap_kib(proc.pid))
        time.sleep(0.005)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err.seek(0)
    stderr = err.read()
    err.close()
    if stdin:
        src.close()
    if proc.returncode != 0:
        sys.exit(f"bench: failed ({proc.returncode}): {' '.join(cmd)}\n{stderr.decode()[-2000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, heap / 1024


def measure(cmd, runs, setup=None, stdin=None, quick_runs=10):
    """Median and min wall seconds, median CPU seconds, peak RSS and peak heap (MiB, the largest
    over the runs) of `cmd`; short tasks get `quick_runs` runs."""
    times, cpus, rss, heap = [], [], 0, 0
    n, i = runs, 0
    while i < n:
        if setup:
            setup()
        elapsed, cpu, peak, peak_heap = run_once(cmd, stdin)
        times.append(elapsed)
        cpus.append(cpu)
        rss, heap = max(rss, peak), max(heap, peak_heap)
        if i == 0 and elapsed < 1.0:
            n = max(runs, quick_runs)
        i += 1
    return {"median": statistics.median(times), "min": min(times), "cpu": statistics.median(cpus), "rss": rss, "heap": heap,
            "runs": len(times)}


def instructions(cmd, setup=None):
    """Instructions executed by `cmd` (every thread) as valgrind's callgrind counts them:
    reproducible on a busy machine, unlike times."""
    if setup:
        setup()
    out = "/tmp/lapse-bench-callgrind.out"
    done = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"] + cmd,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"bench: failed under callgrind ({done.returncode}): {' '.join(cmd)}\n{done.stderr[-2000:]}")
    for line in done.stderr.splitlines():
        if "Collected :" in line:
            return int(line.split(":")[-1])
    sys.exit("bench: callgrind printed no instruction count")


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


def generated(lapse, work, size):
    """The synthetic data set of `size` incidents (made once, kept in the work folder)."""
    data = os.path.join(work, f"{size}-data.jsonl")
    if not os.path.exists(data):
        with open(data + ".tmp", "w") as f:
            subprocess.run([lapse, "generate", "--incidents", str(size), "--seed", SEED], stdout=f, check=True)
        os.rename(data + ".tmp", data)
    return data


QUICK_SIZE = 10000


def quick(lapse, work):
    """The regression guard: instructions (callgrind) for an import and `delays` of 10,000
    generated incidents, with wall and CPU time and peak heap of one native run each."""
    data = generated(lapse, work, QUICK_SIZE)
    db = os.path.join(work, f"{QUICK_SIZE}-quick.sqlite")
    # Valgrind 3.19 cannot read the DWARF 5 debug information Swift writes: callgrind runs a copy
    # without it (the symbols stay).
    stripped = os.path.join(work, "lapse-nodebug")
    subprocess.run(["objcopy", "--strip-debug", lapse, stripped], check=True)
    tasks = [("import", ["import", "--db", db, data], lambda: remove_db(db)),
             ("delays --format csv", ["delays", "--db", db, "--format", "csv"], None)]
    print(f"Regression guard: {QUICK_SIZE:,} generated incidents (seed {SEED}), {machine(lapse)['date']}", file=sys.stderr)
    lines = ["| task | instructions | wall | CPU | peak heap |", "|---|---:|---:|---:|---:|"]
    for name, cmd, setup in tasks:
        count = instructions([stripped] + cmd, setup)
        r = measure([lapse] + cmd, 1, setup=setup, quick_runs=1)
        lines.append(f"| {name} | {count / 1e9:.3f} G | {fmt_time(r['median'])} | {fmt_time(r['cpu'])} | {r['heap']:.0f} MiB |")
        print(f"  {name:<22} {count:>15,} instructions", file=sys.stderr, flush=True)
    print("\n".join(lines))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lapse", required=True)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default="/tmp/lapse-bench")
    ap.add_argument("--no-pandas", action="store_true")
    ap.add_argument("--quick", action="store_true", help="only the regression guard: instruction counts on 10,000 incidents")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    lapse = args.lapse
    if args.quick:
        return quick(lapse, args.work)
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
        data, events_csv = generated(lapse, args.work, size), w("events.csv")
        if not os.path.exists(events_csv):
            subprocess.run([sys.executable, PEERS, "csv", data, events_csv], check=True)
        events = sum(1 for _ in open(events_csv)) - 1
        db, sqlite_db, py_db, pd_db = w("lapse.sqlite"), w("sqlite3.sqlite"), w("python.sqlite"), w("pandas.sqlite")
        rows = []

        def run(task, tool, cmd, **kw):
            r = measure(cmd, args.runs, **kw)
            r.update(task=task, tool=tool)
            rows.append(r)
            print(f"  {size:>7} {task:<22} {tool:<10} {fmt_time(r['median']):>10} CPU {fmt_time(r['cpu']):>10}  {r['rss']:7.0f} MiB RSS"
                  f"  {r['heap']:7.0f} MiB heap  ({r['runs']} runs)",
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
        run("deadlines", "lapse", [lapse, "deadlines", "--db", db, "--as-of", AS_OF, "--format", "csv"])
        run("check", "lapse", [lapse, "check", "--db", db, "--format", "csv"])
        run("export --jsonl", "lapse", [lapse, "export", "--db", db, "--jsonl"])
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
                "| task | tool | median | CPU | fastest | peak RSS | peak heap | Lapse / this |", "|---|---|---:|---:|---:|---:|---:|---:|"]
        lapse_by_task = {r["task"]: r for r in s["rows"] if r["tool"] == "lapse"}
        for r in s["rows"]:
            l = lapse_by_task.get(r["task"])
            ratio = "" if r["tool"] == "lapse" or not l else f"{l['median'] / r['median']:.2f}"
            out.append(f"| {r['task']} | {r['tool']} | {fmt_time(r['median'])} | {fmt_time(r['cpu'])} | {fmt_time(r['min'])} | {r['rss']:.0f} MiB "
                       f"| {r['heap']:.0f} MiB | {ratio} |")
        out.append("")
    if len(sizes) >= 2:
        a, b = results["sizes"][sizes[0]], results["sizes"][sizes[-1]]
        factor = int(sizes[-1]) / int(sizes[0])
        out += [f"Growth from {int(sizes[0]):,} to {int(sizes[-1]):,} incidents ({factor:.0f}x the data):", "",
                "| task | tool | time ratio | CPU ratio | heap ratio |", "|---|---|---:|---:|---:|"]
        small = {(r["task"], r["tool"]): r for r in a["rows"]}
        for r in b["rows"]:
            if (r["task"], r["tool"]) in small:
                x = small[(r["task"], r["tool"])]
                out.append(f"| {r['task']} | {r['tool']} | {r['median'] / x['median']:.1f}x | {r['cpu'] / x['cpu']:.1f}x "
                           f"| {r['heap'] / max(x['heap'], 1):.1f}x |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    main()
