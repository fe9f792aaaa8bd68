// Prints the bench's results: one table with ratios to the seed's Go gateway and to direct, then the targets.

const fmt = (v, digits = 0) => (v === undefined || Number.isNaN(v) ? "–" : v.toFixed(digits));
const ratio = (a, b, digits = 2) =>
  a === undefined || b === undefined || b === 0 ? "–" : `${(a / b).toFixed(digits)}×`;

function table(header, rows, rightAligned) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells.map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Gateway CPU per request served, µs: what decides throughput on a machine the load fills. */
function cpuPerRequest(r) {
  return r.gatewayCpuSeconds === undefined || !(r.rps > 0)
    ? undefined
    : (r.gatewayCpuSeconds * 1e6) / (r.rps * r.seconds);
}

/** The seed's row of the same workload, and the direct one. */
function baselines(rows, row) {
  const same = rows.filter((r) => r.workload === row.workload);
  return { seed: same.find((r) => r.gateway === "seed"), direct: same.find((r) => r.gateway === "none") };
}

export function printReport(results) {
  const { rows, scrape, render } = results;
  const header = [
    "workload",
    "target",
    "req/s",
    "p50 ms",
    "p99 ms",
    "CPU s",
    "CPU µs/req",
    "peak RSS MB",
    "req/s ×seed",
    "p99 ×seed",
    "RSS ×seed",
    "req/s ×direct",
    "errors",
    "other CPU s",
  ];
  const body = rows.map((r) => {
    const { seed, direct } = baselines(rows, r);
    return [
      r.title,
      r.target,
      fmt(r.rps),
      fmt(r.p50Ms, 2),
      fmt(r.p99Ms, 2),
      fmt(r.gatewayCpuSeconds, 2),
      fmt(cpuPerRequest(r)),
      fmt(r.gatewayPeakRssMB, 1),
      ratio(r.rps, seed?.rps),
      ratio(r.p99Ms, seed?.p99Ms),
      ratio(r.gatewayPeakRssMB, seed?.gatewayPeakRssMB),
      ratio(r.rps, direct?.rps),
      String(r.errors),
      fmt(r.otherCpuSeconds, 1),
    ];
  });
  if (scrape) {
    const s = scrape.scrapeMs.prometheus;
    body.push([
      `GET /metrics, ${scrape.series} series`,
      "llmgate",
      "–",
      fmt(s.p50, 2),
      fmt(s.p99, 2),
      "–",
      "–",
      "–",
      "–",
      "–",
      "–",
      "–",
      "0",
      "–",
    ]);
  }
  if (render) {
    const f = render.formats.prometheus;
    body.push([
      `renderMetrics(), ${render.series} series`,
      "in-process",
      "–",
      fmt(f.p50Ms, 2),
      fmt(f.p99Ms, 2),
      "–",
      "–",
      "–",
      "–",
      "–",
      "–",
      "–",
      "0",
      "–",
    ]);
  }
  process.stdout.write(
    `\n${table(header, body, new Set([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]))}\n` +
      `Medians of ${results.settings?.rounds ?? 1} rounds (${results.settings?.slowRounds ?? 1} for the slow streams), targets interleaved. ` +
      "CPU s: user+system seconds of the gateway process during the measured run (for direct: –); CPU µs/req: per request served. " +
      "other CPU s: what processes outside the bench used meanwhile (near 0 for a clean run).\n",
  );

  const targets = [];
  const pick = (workload, target) => rows.find((r) => r.workload === workload && r.target === target);
  const seedOf = (workload) => rows.find((r) => r.workload === workload && r.gateway === "seed");
  const check = (name, value, ok, limit) =>
    targets.push(`${ok ? "met   " : "MISSED"}  ${name}: ${value} (target ${limit})`);
  for (const [workload, label, p99] of [
    ["nonstream", "non-stream chat", true],
    ["stream", "streaming chat", true],
    ["native", "native passthrough", false],
  ]) {
    const mine = pick(workload, "llmgate");
    const seed = seedOf(workload);
    if (!mine || !seed) continue;
    check(`${label} throughput`, ratio(mine.rps, seed.rps), mine.rps >= seed.rps, "≥ 1.0× seed");
    if (p99) check(`${label} p99`, ratio(mine.p99Ms, seed.p99Ms), mine.p99Ms <= seed.p99Ms, "≤ 1.0× seed");
  }
  const seedSlow = seedOf("slow");
  for (const r of rows.filter((r) => r.workload === "slow" && r.gateway === "llmgate"))
    if (seedSlow)
      check(
        `memory, ${r.title}, ${r.target}`,
        `${fmt(r.gatewayPeakRssMB, 1)} MB vs ${fmt(seedSlow.gatewayPeakRssMB, 1)} MB = ${ratio(r.gatewayPeakRssMB, seedSlow.gatewayPeakRssMB)}`,
        r.gatewayPeakRssMB <= seedSlow.gatewayPeakRssMB,
        "≤ 1.0× seed",
      );
  if (scrape) {
    const worst = scrape.scrapeMs.prometheus.max;
    check(
      `scrape, GET /metrics with ${scrape.series} series`,
      `max ${fmt(worst, 1)} ms`,
      worst < 50 && scrape.series >= 10_000,
      "< 50 ms at 10,000 series",
    );
    const { duringScrapes, betweenScrapes } = scrape.stallMs;
    const added = duringScrapes.max - betweenScrapes.p50;
    check(
      "scrape, delay to streams in flight",
      `longest chunk gap overlapping a scrape: p50 ${fmt(duringScrapes.p50, 1)} ms, max ${fmt(duringScrapes.max, 1)} ms; ` +
        `between scrapes p50 ${fmt(betweenScrapes.p50, 1)} ms (worst added: ${fmt(added, 1)} ms)`,
      added < 50,
      "< 50 ms added",
    );
  }
  if (render) {
    const f = render.formats.prometheus;
    check(
      `scrape, renderMetrics() in-process, ${render.series} series`,
      `p99 ${fmt(f.p99Ms, 1)} ms`,
      f.p99Ms < 50,
      "< 50 ms",
    );
  }
  if (targets.length) process.stdout.write(`\nTargets (issue 7):\n${targets.join("\n")}\n`);
}
