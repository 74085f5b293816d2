import type { Figure, NightlyData } from './nightly.js';
import { isFreeText, markdownText, render } from './render.js';
import type { ResultSet } from './run.js';

/** A figure as a person reads it: thousands separated, bytes in units, one decimal for rates. */
export function formatValue(f: Pick<Figure, 'key'>, v: number): string {
  if (f.key === 'bytes') return formatBytes(v);
  if (f.key === 'fail_pct') return `${v.toFixed(1)}%`;
  return Math.round(v).toLocaleString('en-US');
}

function formatBytes(v: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** The change against the baseline, e.g. `+12 (+34%)`; for rates, in percentage points. */
export function formatChange(f: Figure): string {
  if (f.baseline === null) return 'no baseline';
  const d = f.value - f.baseline;
  if (f.key === 'fail_pct') return `${d >= 0 ? '+' : ''}${d.toFixed(1)} pts`;
  const pct = f.baseline === 0 ? '' : ` (${d >= 0 ? '+' : ''}${Math.round((100 * d) / f.baseline)}%)`;
  return `${d >= 0 ? '+' : '-'}${formatValue(f, Math.abs(d))}${pct}`;
}

function headlineTable(d: NightlyData): ResultSet {
  return {
    columns: ['figure', 'this window', 'baseline average', 'change'],
    rows: d.headline.map((f) => [f.label, formatValue(f, f.value), f.baseline === null ? '-' : formatValue(f, f.baseline), formatChange(f)]),
  };
}

const NO_BASELINE = 'No events in the baseline to compare with.';
const NOTHING_NEW = 'Nothing the baseline had not seen.';

function freshItems(d: NightlyData): string[] | null {
  if (d.newThisNight === null) return null;
  return [...d.newThisNight.replyCodes.map((c) => `reply ${c}`), ...d.newThisNight.errors.map((e) => `error ${e}`)];
}

/** The verdict in the title: never "all thresholds hold" when none was given or an input went unread. */
function status(d: NightlyData): string {
  const n = d.breaches.length;
  if (n > 0) return `${n} breach${n > 1 ? 'es' : ''}`;
  const k = d.unreadable.length;
  if (k > 0) return `${k} input${k > 1 ? 's' : ''} could not be read`;
  return d.thresholdsGiven ? 'all thresholds hold' : 'nothing found, and no thresholds were given';
}

/** What the reader must know before any figure: inputs not read, thresholds not given, a thin baseline. */
function notes(d: NightlyData): string[] {
  const out: string[] = [];
  if (!d.thresholdsGiven) {
    out.push('No thresholds were given (--fail-rate-above, --auth-failures-above, --rejects-above): only the checks that need none '
      + 'were made (a window without events, logs gone silent, passwords guessed after a brute-force burst).');
  }
  const { withData, pieces } = d.baselineCoverage;
  if (d.headline.some((f) => f.baseline !== null) && withData < pieces) {
    const hours = Math.round((Date.parse(d.window.until) - Date.parse(d.window.since)) / 3_600_000);
    out.push(`The baseline holds events in ${withData} of its ${pieces} ${hours}-hour pieces: its averages are over those ${withData}.`);
  }
  return out;
}

export function renderNightlyMarkdown(d: NightlyData): string {
  const out: string[] = [];
  out.push(`# FTP nightly report: ${status(d)}`, '');
  out.push(`Window ${d.window.since} to ${d.window.until}, compared with the average of ${d.baseline.since} to ${d.baseline.until}. Generated ${d.generatedAt} from ${d.dbPath}. Times in ${d.zone}.`, '');
  if (d.breaches.length) {
    out.push('## Breaches', '', ...d.breaches.map((b) => `- **${markdownText(b)}**`), '');
  }
  if (d.unreadable.length) {
    out.push('## Could not be read', '', ...d.unreadable.map((u) => `- **${markdownText(u.path)}**: ${markdownText(u.error)}`), '');
  }
  const said = notes(d);
  if (said.length) out.push('## Notes', '', ...said.map((n) => `- ${n}`), '');
  out.push('## Headline', '', render(headlineTable(d), 'markdown'));
  out.push('## New this night', '');
  const fresh = freshItems(d);
  out.push(fresh === null ? NO_BASELINE : fresh.length ? fresh.map((x) => `- ${x}`).join('\n') : NOTHING_NEW, '');
  for (const s of d.sections) {
    out.push(`## ${s.title}`, '', s.note, '');
    out.push(s.rows.rows.length ? render(s.rows, 'markdown') : '_None._\n');
    out.push(`Full list: \`${s.command}\``, '');
  }
  out.push('## Data quality', '', render({ columns: ['what', 'value'], rows: d.dataQuality }, 'markdown'));
  return out.join('\n');
}

function esc(v: unknown): string {
  return String(v ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Columns holding codes, not quantities: shown as logged, without thousands separators. */
const CODE_COLUMNS = new Set(['number', 'code', 'reply_code', 'win32_status', 'substatus']);

function htmlTable(r: ResultSet): string {
  if (r.rows.length === 0) return '<p class="none">None.</p>';
  const numeric = r.columns.map((_, i) => r.rows.every((row) => row[i] === null || typeof row[i] === 'number'));
  // Free text wraps after a / or , (a path, a list of names); anything else (an address, a time, a code) never breaks.
  const free = r.columns.map((c, i) => !numeric[i] && isFreeText(c, r.rows.map((row) => String(row[i] ?? ''))));
  const cell = (v: unknown, i: number, tag: string) => {
    const text = typeof v === 'number' && !CODE_COLUMNS.has(r.columns[i]!) ? v.toLocaleString('en-US') : v;
    const html = tag === 'td' && free[i] ? esc(text).replace(/([/,])/g, '$1<wbr>') : esc(text);
    return `<${tag} class="${numeric[i] ? 'num' : free[i] ? 'wrap' : 'keep'}">${html}</${tag}>`;
  };
  return `<div class="scroll"><table><thead><tr>${r.columns.map((c, i) => cell(c, i, 'th')).join('')}</tr></thead><tbody>${
    r.rows.map((row) => `<tr>${row.map((v, i) => cell(v, i, 'td')).join('')}</tr>`).join('')}</tbody></table></div>`;
}

/** Failed events per hour as bars over all events per hour; inline SVG, no script. */
function hourChart(d: NightlyData): string {
  const data = d.failuresPerHour;
  if (data.length === 0) return '<p class="none">No events in the window.</p>';
  const w = 640;
  const h = 180;
  const pad = 28;
  const max = Math.max(1, ...data.map((x) => x.events));
  const bw = (w - pad * 2) / data.length;
  const y = (v: number) => h - pad - ((h - pad * 2) * v) / max;
  const bars = data.map((x, i) => {
    const bx = pad + i * bw;
    return `<rect x="${bx.toFixed(1)}" y="${y(x.events).toFixed(1)}" width="${Math.max(1, bw - 2).toFixed(1)}" height="${(h - pad - y(x.events)).toFixed(1)}" fill="#cfd8e3"><title>${esc(x.hour)}: ${x.events} events</title></rect>` +
      `<rect x="${bx.toFixed(1)}" y="${y(x.failed).toFixed(1)}" width="${Math.max(1, bw - 2).toFixed(1)}" height="${(h - pad - y(x.failed)).toFixed(1)}" fill="#c0392b"><title>${esc(x.hour)}: ${x.failed} failed</title></rect>`;
  }).join('');
  const every = Math.max(1, Math.ceil(data.length / 8));
  const labels = data.map((x, i) => (i % every === 0
    ? `<text x="${(pad + i * bw + bw / 2).toFixed(1)}" y="${h - 8}" font-size="10" text-anchor="middle">${esc(x.hour.slice(11, 16))}</text>` : '')).join('');
  return `<svg class="chart" role="img" aria-labelledby="c1" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="c1">Failed events per hour (red) against all events (grey), most ${max} per hour</title>` +
    `<line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" stroke="#888"/>${bars}${labels}` +
    `<text x="${pad}" y="14" font-size="11">${max.toLocaleString('en-US')} events/hour</text></svg>`;
}

/** Replies per class (1xx…6xx) as horizontal bars. */
function classChart(d: NightlyData): string {
  const data = d.replyClasses;
  if (data.length === 0) return '<p class="none">No reply codes in the window.</p>';
  const w = 640;
  const row = 26;
  const h = row * data.length + 10;
  const max = Math.max(1, ...data.map((x) => x.events));
  const colour: Record<string, string> = { '1xx': '#7f8c8d', '2xx': '#27ae60', '3xx': '#2980b9', '4xx': '#e67e22', '5xx': '#c0392b', '6xx': '#8e44ad' };
  const bars = data.map((x, i) => {
    const bw = ((w - 160) * x.events) / max;
    return `<text x="0" y="${i * row + 18}" font-size="12">${esc(x.label)}</text>` +
      `<rect x="40" y="${i * row + 5}" width="${Math.max(1, bw).toFixed(1)}" height="${row - 8}" fill="${colour[x.label] ?? '#555'}"><title>${esc(x.label)}: ${x.events} replies</title></rect>` +
      `<text x="${(46 + bw).toFixed(1)}" y="${i * row + 18}" font-size="12">${x.events.toLocaleString('en-US')}</text>`;
  }).join('');
  return `<svg class="chart" role="img" aria-labelledby="c2" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="c2">Replies per reply-code class</title>${bars}</svg>`;
}

const CSS = `
body{font:15px/1.45 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d2733;max-width:960px;margin:0 auto;padding:16px}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.15em;margin:1.4em 0 .4em;border-bottom:1px solid #dde3ea;padding-bottom:.2em}
.ok{color:#1e7e34}.bad{color:#b02a37}.breaches{background:#fdecea;border-left:4px solid #b02a37;padding:8px 12px}
.scroll{overflow-x:auto}table{border-collapse:collapse;margin:.4em 0;font-size:.92em}th,td{border:1px solid #dde3ea;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f6f9}.num{text-align:right;font-variant-numeric:tabular-nums}code{font-size:.85em;background:#f3f6f9;padding:1px 4px;white-space:nowrap}.cmd{overflow-x:auto}.keep,.num{white-space:nowrap}.wrap{min-width:12em}
.note{background:#fff8e1;border-left:4px solid #e0a800;padding:6px 12px}.chart{max-width:100%;height:auto}.muted,.none{color:#5f6b78}.up{color:#b02a37}.down{color:#1e7e34}
@media print{body{max-width:none;font-size:11pt}.scroll{overflow:visible}a{color:inherit}}
`;

export function renderNightlyHtml(d: NightlyData): string {
  const head = headlineTable(d);
  const worse = (f: Figure) => (f.baseline !== null && f.key !== 'events' && f.key !== 'bytes' && f.value > f.baseline ? 'up' : '');
  const headRows = d.headline.map((f, i) => `<tr><td>${esc(f.label)}</td><td class="num">${esc(head.rows[i]![1])}</td><td class="num">${esc(head.rows[i]![2])}</td><td class="num ${worse(f)}">${esc(head.rows[i]![3])}</td></tr>`).join('');
  const fresh = freshItems(d);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>FTP nightly report ${esc(d.window.since)}</title><style>${CSS}</style></head>
<body>
<h1>FTP nightly report: <span class="${d.breaches.length || d.unreadable.length ? 'bad' : 'ok'}">${esc(status(d))}</span></h1>
<p class="muted">Window ${esc(d.window.since)} to ${esc(d.window.until)}, compared with the average of ${esc(d.baseline.since)} to ${esc(d.baseline.until)}. Generated ${esc(d.generatedAt)} from ${esc(d.dbPath)}. Times in ${esc(d.zone)}.</p>
${d.breaches.length ? `<div class="breaches"><strong>Breaches</strong><ul>${d.breaches.map((b) => `<li>${esc(b)}</li>`).join('')}</ul></div>` : ''}
${d.unreadable.length ? `<div class="breaches"><strong>Could not be read</strong><ul>${d.unreadable.map((u) => `<li><strong>${esc(u.path)}</strong>: ${esc(u.error)}</li>`).join('')}</ul></div>` : ''}
${notes(d).map((n) => `<p class="note">${esc(n)}</p>`).join('\n')}
<h2>Headline</h2>
<div class="scroll"><table><thead><tr><th>figure</th><th class="num">this window</th><th class="num">baseline average</th><th class="num">change</th></tr></thead><tbody>${headRows}</tbody></table></div>
<h2>Failures per hour (${esc(d.zone)})</h2>
${hourChart(d)}
<h2>Replies by class</h2>
${classChart(d)}
<h2>New this night</h2>
${fresh === null ? `<p class="none">${NO_BASELINE}</p>` : fresh.length ? `<ul>${fresh.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : `<p class="none">${NOTHING_NEW}</p>`}
${d.sections.map((s) => `<h2>${esc(s.title)}</h2><p class="muted">${esc(s.note)}</p>${htmlTable(s.rows)}<p class="muted cmd">Full list: <code>${esc(s.command)}</code></p>`).join('\n')}
<h2>Data quality</h2>
${htmlTable({ columns: ['what', 'value'], rows: d.dataQuality })}
</body></html>
`;
}
