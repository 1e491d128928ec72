#!/usr/bin/env python3
"""Bulk import into PostgreSQL: `lapse import` of N generated incidents against `psql \\copy` of
the same events as flat rows (one table, the columns of `bench-peers.py csv`, a primary key).
`scripts/bench-postgres` builds Lapse and calls this; see Docs/performance.md.

Both run against one throwaway server started here (initdb and pg_ctl in the work folder, a
Unix socket only; as the `postgres` user when run as root). Each run starts from an empty,
migrated database; creating it is outside the timing. We report the median wall time over the
runs, the client's CPU time (user + system of `lapse` or `psql`) and the server's (its backends'
CPU time from /proc, read before and after).
"""
import argparse
import glob
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
import importlib.util

spec = importlib.util.spec_from_file_location("bench_run", os.path.join(HERE, "bench-run.py"))
bench_run = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_run)
PEERS = os.path.join(HERE, "bench-peers.py")
COMPANY = bench_run.COMPANY
SEARCH = bench_run.SEARCH


def binaries():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not found:
        sys.exit("bench-postgres: PostgreSQL is not installed (apt-get install -y postgresql)")
    return os.path.dirname(found[-1])


class Cluster:
    def __init__(self, work):
        self.bin = binaries()
        self.folder = os.path.join(work, "pg")
        self.port = "5439"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        shutil.rmtree(self.folder, ignore_errors=True)
        os.makedirs(self.folder)
        if self.as_user:
            shutil.chown(self.folder, "postgres")
        data = os.path.join(self.folder, "data")
        self.run(self.as_user + [f"{self.bin}/initdb", "-D", data, "-A", "trust", "-U", "lapse", "-E", "UTF8", "--locale=C"])
        self.run(self.as_user + [f"{self.bin}/pg_ctl", "-D", data, "-l", os.path.join(self.folder, "log"), "-w", "-s",
                                 "-o", f"-k {self.folder} -c listen_addresses='' -p {self.port}", "start"])
        self.data = data

    def run(self, cmd, **kw):
        subprocess.run(cmd, check=True, cwd="/tmp", stdout=subprocess.DEVNULL, **kw)

    def url(self, db):
        return f"postgresql://lapse@/{db}?host={self.folder}&port={self.port}"

    def psql(self, db, *args):
        return [f"{self.bin}/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", self.folder, "-p", self.port, "-U", "lapse", "-d", db, *args]

    def recreate(self, db):
        self.run(self.psql("postgres", "-c", f"DROP DATABASE IF EXISTS {db}"))
        self.run(self.psql("postgres", "-c", f"CREATE DATABASE {db} TEMPLATE template0"))

    def server_cpu(self):
        """CPU seconds of every process of the server so far (its backends included)."""
        ticks = os.sysconf("SC_CLK_TCK")
        pid = int(open(os.path.join(self.data, "postmaster.pid")).readline())
        total = 0
        for stat in glob.glob("/proc/[0-9]*/stat"):
            try:
                fields = open(stat).read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            # ppid is field 4 (index 1 after the name); utime, stime, cutime, cstime 14-17.
            if int(fields[1]) == pid or int(stat.split("/")[2]) == pid:
                total += sum(int(x) for x in fields[11:15])
        return total / ticks

    def stop(self):
        subprocess.run(self.as_user + [f"{self.bin}/pg_ctl", "-D", self.data, "-m", "fast", "-s", "-w", "stop"], cwd="/tmp")


PEER_TABLE = """CREATE TABLE event (incident_id text NOT NULL, organization_id text, position integer NOT NULL, id text,
    type text NOT NULL, at text NOT NULL, until text, party_id text, summary text, quote text, channel text,
    audience text, language text, source_url text, PRIMARY KEY (incident_id, position))"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lapse", required=True)
    ap.add_argument("--size", type=int, default=100000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default="/tmp/lapse-bench")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    data = bench_run.generated(a.lapse, a.work, a.size)
    flat = os.path.join(a.work, f"{a.size}-events.csv")
    if not os.path.exists(flat):
        subprocess.run([sys.executable, PEERS, "csv", data, flat], check=True)
    events = sum(1 for _ in open(flat)) - 1
    cluster = Cluster(a.work)
    results = {}
    try:
        tasks = {
            "psql \\copy (flat events)": (
                lambda: (cluster.recreate("peer"), cluster.run(cluster.psql("peer", "-c", PEER_TABLE))),
                cluster.psql("peer", "-c", f"\\copy event FROM '{flat}' CSV HEADER")),
            "lapse import": (
                lambda: (cluster.recreate("lapse"), cluster.run([a.lapse, "db", "migrate", "--db", cluster.url("lapse")], stderr=subprocess.DEVNULL)),
                [a.lapse, "import", data, "--db", cluster.url("lapse")]),
        }
        def measure(name, cmd, setup=None, runs=a.runs):
            walls, cpus, servers = [], [], []
            for _ in range(runs):
                if setup:
                    setup()
                before = cluster.server_cpu()
                wall, cpu, _, _ = bench_run.run_once(cmd)
                # The backend ends with the client's connection; its time is counted once the
                # server has reaped it.
                time.sleep(0.5)
                servers.append(cluster.server_cpu() - before)
                walls.append(wall)
                cpus.append(cpu)
            results[name] = (statistics.median(walls), min(walls), statistics.median(cpus), statistics.median(servers))

        for name, (setup, cmd) in tasks.items():
            measure(name, cmd, setup)
        # Queries on the imported database, each beside psql running the query Lapse sends (or,
        # for the whole-database reads, reading every event): the floor for the answer.
        db = cluster.url("lapse")
        company_sql = ("SELECT i.id, i.title, i.organization_id, p.name, i.records_affected, i.kinds, i.first_at, i.event_count "
                       "FROM incident i JOIN party p ON p.id = i.organization_id WHERE i.organization_id IN "
                       f"(WITH RECURSIVE m(id) AS (SELECT '{COMPANY}'::text COLLATE \"C\" UNION SELECT p.id FROM party p JOIN m ON p.parent_id = m.id) "
                       "SELECT id FROM m) ORDER BY i.first_instant IS NULL, i.first_instant, i.id")
        query = " & ".join(f"{w}:*" for w in SEARCH)
        search_sql = " UNION ALL ".join(
            f"(SELECT '{kind}', {key}, -ts_rank_cd(search, '{query}'::tsquery) AS score FROM {table} "
            f"WHERE search @@ '{query}'::tsquery ORDER BY score LIMIT 20)"
            for kind, table, key in [("event", "event", "seq::text"), ("incident", "incident", "id"), ("party", "party", "id")])
        queries = [
            ("incidents --company", [a.lapse, "incidents", "--db", db, "--company", COMPANY], cluster.psql("lapse", "-c", company_sql)),
            ("search", [a.lapse, "search", "--db", db] + SEARCH, cluster.psql("lapse", "-c", search_sql)),
            ("delays --format csv", [a.lapse, "delays", "--db", db, "--format", "csv"],
             cluster.psql("lapse", "-c", "\\copy (SELECT incident_id, position, type, at, first_instant FROM event ORDER BY incident_id, position) TO '/dev/null' CSV")),
            ("stats --by year", [a.lapse, "stats", "--db", db, "--by", "year"], None),
            ("export --jsonl", [a.lapse, "export", "--db", db, "--jsonl"], None),
        ]
        for name, lapse_cmd, psql_cmd in queries:
            if psql_cmd:
                measure(f"{name}: psql, the same query" if name != "delays --format csv" else f"{name}: psql, every event read", psql_cmd, runs=max(a.runs, 5))
            measure(f"{name}: lapse", lapse_cmd, runs=max(a.runs, 5) if name in ("incidents --company", "search") else a.runs)
    finally:
        cluster.stop()
    print(f"{a.size:,} incidents, {events:,} events; median of {a.runs} runs, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores\n")
    print("| task | wall (median) | wall (fastest) | client CPU | server CPU |")
    print("|---|---|---|---|---|")
    for name, (wall, fastest, cpu, server) in results.items():
        print(f"| {name} | {bench_run.fmt_time(wall)} | {bench_run.fmt_time(fastest)} | {bench_run.fmt_time(cpu)} | {bench_run.fmt_time(server)} |")
    names = list(results)
    print(f"\nlapse import / psql \\copy, wall: {results[names[1]][0] / results[names[0]][0]:.2f}x")
    print(f"lapse import / psql \\copy, CPU (client + server): "
          f"{(results[names[1]][2] + results[names[1]][3]) / (results[names[0]][2] + results[names[0]][3]):.2f}x")


if __name__ == "__main__":
    main()
