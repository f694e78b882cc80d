#!/usr/bin/env python3
"""The table and charts of docs/PERFORMANCE.md from one table.sh run.

    report.py OUTDIR [--charts DIR]

Reads OUTDIR/<scenario>/results.jsonl (A = Daphne, B = the chat jar; for room100-xmx128, A = default heap,
B = -Xmx128m) and OUTDIR/density/density.json, prints a markdown table of medians, and with --charts writes
throughput.png and cpu-per-delivery.png into DIR (needs matplotlib: Debian's python3-matplotlib).
"""
import json
import os
import statistics
import sys


def load(outdir, scen):
    path = os.path.join(outdir, scen, "results.jsonl")
    if not os.path.exists(path):
        return None
    rows = [json.loads(line) for line in open(path) if line.strip()]
    return {lab: [r for r in rows if r["label"] == lab] for lab in ("A", "B")}


def med(rows, key):
    vals = [r[key] for r in rows if isinstance(r.get(key), (int, float))]
    return statistics.median(vals) if vals and len(vals) == len(rows) else None


def per_delivery_us(rows, key):
    vals = [r[key] / r["received"] * 1e6 for r in rows if isinstance(r.get(key), (int, float)) and r.get("received")]
    return statistics.median(vals) if vals else None


def fmt(v, nd=0, suffix=""):
    if v is None:
        return "—"
    return f"{v:,.{nd}f}{suffix}"


def main():
    args = sys.argv[1:]
    if not args or args[0] in ("-h", "--help"):
        print(__doc__)
        return 2
    outdir = args[0]
    charts = args[args.index("--charts") + 1] if "--charts" in args else None
    rows = []  # (label, daphne, ours, note)
    data = {}
    for scen in ("room100", "overload", "rooms10-redis", "echo", "connect2000", "room100-xmx128"):
        d = load(outdir, scen)
        if d:
            data[scen] = d
    if "room100" in data:
        a, b = data["room100"]["A"], data["room100"]["B"]
        ta, tb = med(a, "throughput_per_s"), med(b, "throughput_per_s")
        rows.append(("room100, in-memory: deliveries/s", fmt(ta), fmt(tb) + (f" ({tb / ta:.1f}×)" if ta and tb else "")))
        rows.append(("room100, in-memory: server CPU per delivery", fmt(per_delivery_us(a, "server_cpu_s"), 1, " µs"),
                     fmt(per_delivery_us(b, "server_cpu_s"), 1, " µs")))
        rows.append(("room100, in-memory: latency p50 / p99", f"{fmt(med(a, 'lat_p50_ms'), 1)} / {fmt(med(a, 'lat_p99_ms'), 1)} ms",
                     f"{fmt(med(b, 'lat_p50_ms'), 1)} / {fmt(med(b, 'lat_p99_ms'), 1)} ms"))
        rows.append(("room100: server peak RSS", fmt(med(a, "server_peak_rss_mb"), 0, " MiB"), fmt(med(b, "server_peak_rss_mb"), 0, " MiB")))
    if "overload" in data:
        a, b = data["overload"]["A"], data["overload"]["B"]
        def lost(rs):
            vals = [r["lost"] / r["expected"] * 100 for r in rs if r.get("expected")]
            return statistics.median(vals) if vals else None
        rows.append(("room100 window 5 (overload): lost", fmt(lost(a), 0, "%"), fmt(lost(b), 0, "%")))
    if "rooms10-redis" in data:
        a, b = data["rooms10-redis"]["A"], data["rooms10-redis"]["B"]
        ta, tb = med(a, "throughput_per_s"), med(b, "throughput_per_s")
        rows.append(("rooms10 on Redis: deliveries/s", fmt(ta), fmt(tb) + (f" ({tb / ta:.1f}×)" if ta and tb else "")))
        rows.append(("rooms10 on Redis: server CPU per delivery (Redis's own)",
                     f"{fmt(per_delivery_us(a, 'server_cpu_s'), 1)} µs ({fmt(per_delivery_us(a, 'aux_cpu_s'), 1)} µs)",
                     f"{fmt(per_delivery_us(b, 'server_cpu_s'), 1)} µs ({fmt(per_delivery_us(b, 'aux_cpu_s'), 1)} µs)"))
    if "echo" in data:
        a, b = data["echo"]["A"], data["echo"]["B"]
        rows.append(("echo round trip p50 / p99", f"{fmt(med(a, 'lat_p50_ms'), 2)} / {fmt(med(a, 'lat_p99_ms'), 2)} ms",
                     f"{fmt(med(b, 'lat_p50_ms'), 2)} / {fmt(med(b, 'lat_p99_ms'), 2)} ms"))
    if "connect2000" in data:
        a, b = data["connect2000"]["A"], data["connect2000"]["B"]
        def per_conn(rs):
            vals = [r["server_cpu_s"] / r["connect_ok"] * 1e6 for r in rs if r.get("connect_ok")]
            return statistics.median(vals) if vals else None
        rows.append(("connect2000: connects/s", fmt(med(a, "connect_rate_per_s")), fmt(med(b, "connect_rate_per_s"))))
        rows.append(("connect2000: server CPU per connect + close", fmt(per_conn(a), 0, " µs"), fmt(per_conn(b), 0, " µs")))
    if "room100-xmx128" in data:
        a, b = data["room100-xmx128"]["A"], data["room100-xmx128"]["B"]
        ta, tb = med(a, "throughput_per_s"), med(b, "throughput_per_s")
        rows.append(("room100 with -Xmx128m (ours): deliveries/s, peak RSS", "—",
                     f"{fmt(tb)} ({(tb / ta - 1) * 100:+.0f}% vs default heap {fmt(ta)}), {fmt(med(b, 'server_peak_rss_mb'), 0)} MiB"
                     if ta and tb else "—"))
    dens = os.path.join(outdir, "density", "results.jsonl")
    if os.path.exists(dens):
        ds = [json.loads(line) for line in open(dens) if line.strip()]
        per = statistics.median([float(d["per_conn_kib"]) for d in ds if d.get("per_conn_kib")] or [0])
        opened = min(d.get("open", 0) for d in ds)
        alive = all(d.get("alive") for d in ds)
        rows.append((f"{opened:,} idle connections with -Xmx128m: live heap per connection after full GC", "—",
                     f"{per:.1f} KiB ({'server alive' if alive else 'SERVER DIED'})"))
    print("| scenario | Daphne | Channels4J chat |")
    print("|---|---:|---:|")
    for name, a, b in rows:
        print(f"| {name} | {a} | {b} |")
    if charts:
        chart(data, charts)
    return 0


def chart(data, outdir):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    os.makedirs(outdir, exist_ok=True)
    scen = [s for s in ("room100", "rooms10-redis") if s in data]
    labels = {"room100": "room100\nin-memory", "rooms10-redis": "rooms10\nRedis"}
    for metric, title, fname, fn in (
        ("throughput_per_s", "deliveries per second (higher is better)", "throughput.png", lambda rs: med(rs, "throughput_per_s")),
        ("cpu", "server CPU per delivery, µs (lower is better)", "cpu-per-delivery.png", lambda rs: per_delivery_us(rs, "server_cpu_s")),
    ):
        fig, ax = plt.subplots(figsize=(6, 3.6), dpi=110)
        xs = range(len(scen))
        da = [fn(data[s]["A"]) or 0 for s in scen]
        ours = [fn(data[s]["B"]) or 0 for s in scen]
        ax.bar([x - 0.2 for x in xs], da, 0.4, label="Daphne 4 (Django Channels)", color="#8c8c8c")
        ax.bar([x + 0.2 for x in xs], ours, 0.4, label="Channels4J chat example", color="#2b6cb0")
        for x, v in zip(xs, da):
            ax.annotate(f"{v:,.1f}" if v < 100 else f"{v:,.0f}", (x - 0.2, v), ha="center", va="bottom", fontsize=8)
        for x, v in zip(xs, ours):
            ax.annotate(f"{v:,.1f}" if v < 100 else f"{v:,.0f}", (x + 0.2, v), ha="center", va="bottom", fontsize=8)
        ax.set_xticks(list(xs))
        ax.set_xticklabels([labels[s] for s in scen])
        ax.set_title(title, fontsize=10)
        ax.legend(fontsize=8)
        if metric == "throughput_per_s":
            ax.set_yscale("log")
        fig.tight_layout()
        fig.savefig(os.path.join(outdir, fname))
        plt.close(fig)
        print(f"wrote {os.path.join(outdir, fname)}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
