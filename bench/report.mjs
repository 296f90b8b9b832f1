/** Formatting of the benchmark's results for the terminal. */

const int = (n) => (n === undefined || Number.isNaN(n) ? '—' : Math.round(n).toLocaleString('en-US'));
const ms = (n) => (n === undefined ? '—' : n < 10 ? n.toFixed(2) : n.toFixed(1));

/** Right-aligned columns under a header, with a rule. */
export function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padStart(widths[i])).join('  ');
  return `${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`;
}

/** The headline table: one row per run (database × patients). */
export function summaryTable(results) {
  const header = [
    'database',
    'patients',
    'auth',
    'resources',
    'ingest res/s',
    'COPY rows/s',
    'ingest/COPY',
    'CRUD16 req/s',
    'p50',
    'p99',
    'err',
    'CRUD64 req/s',
    'p50',
    'p99',
    'err',
    'search req/s',
    'p50',
    'p99',
    'err',
  ];
  const rows = results.map((r) => {
    const c16 = r.crud.atClients[0];
    const c64 = r.crud.atClients[1] ?? {};
    return [
      r.dbMode,
      int(r.patients),
      r.auth,
      int(r.ingest.resources),
      int(r.ingest.resourcesPerSec),
      int(r.copyLimit?.rowsPerSec),
      r.ratios.ingestVsCopy === undefined ? '—' : r.ratios.ingestVsCopy.toFixed(2),
      int(c16.rps),
      ms(c16.p50Ms),
      ms(c16.p99Ms),
      int(c16.errors),
      int(c64.rps),
      ms(c64.p50Ms),
      ms(c64.p99Ms),
      int(c64.errors),
      int(r.search.rps),
      ms(r.search.p50Ms),
      ms(r.search.p99Ms),
      int(r.search.errors),
    ];
  });
  return table(header, rows);
}

/** Per-shape search figures of one run, slowest p50 first. */
export function searchTable(result) {
  const shapes = [...result.search.shapes].sort((a, b) => b.p50Ms - a.p50Ms);
  const body = table(
    ['shape', 'class', 'sampled', 'found', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'alone p50'],
    shapes.map((s) => [
      s.name,
      s.complexity,
      s.sampled ? 'yes' : 'fixed',
      `${Math.round(s.nonEmptyShare * 100)}%`,
      int(s.requests),
      int(s.rps),
      ms(s.p50Ms),
      ms(s.p99Ms),
      int(s.errors),
      s.alone ? ms(s.alone.p50Ms) : '—',
    ]),
  );
  const refused = result.search.unsupported
    .map((u) => `  not in the mix: ${u.name} — ${u.reason}`)
    .join('\n');
  return `${body}${refused ? `${refused}\n` : ''}`;
}
