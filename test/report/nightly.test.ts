import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { loadCatalog } from '../../src/report/catalog.js';
import { buildNightly, silentLogs, type NightlyOptions } from '../../src/report/nightly.js';
import { formatChange, formatValue, renderNightlyHtml, renderNightlyMarkdown } from '../../src/report/nightlyRender.js';
import { openQueryStore, openStore, type QueryStore } from '../../src/store/index.js';
import { fixture } from '../helpers/parse.js';

// fixtures/nightly/vsftpd.log: seven quiet days (2024-03-01..07: 4 sessions of connect, login,
// 1000-byte download, plus one failed login a day = 13 events, 1 failure) and a bad night
// (2024-03-08: 2 sessions = 6 events, a 12-attempt brute force from 198.51.100.66, 2 failed uploads,
// a 426 reply quoting Winsock 10054, one damaged line).

let dir: string;
let db: QueryStore;
const reports = loadCatalog();
const base: NightlyOptions = { since: '24h', baseline: '7d', now: new Date('2024-03-09T00:00:00Z'), thresholds: {}, dbPath: 'n.db' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ftplog-nightly-'));
  const w = await openStore(join(dir, 'n.db'));
  await ingest(w, [fixture('nightly')], { format: 'auto', tz: 'UTC', maxLineBytes: 65536 });
  await w.close();
  db = await openQueryStore(join(dir, 'n.db'));
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('nightly report', () => {
  it('gives the night and the baseline average, figure by figure', async () => {
    const d = (await buildNightly(db, reports, base));
    expect(d.window).toEqual({ since: '2024-03-08T00:00:00Z', until: '2024-03-09T00:00:00Z' });
    expect(d.baseline).toEqual({ since: '2024-03-01T00:00:00Z', until: '2024-03-08T00:00:00Z' });
    expect(d.headline.map((f) => [f.key, f.value, f.baseline === null ? null : Number(f.baseline.toFixed(2))])).toEqual([
      ['events', 21, 13], // 6 + 12 + 2 + 1; baseline 91 / 7
      ['fail_pct', 71.43, 7.69], // 15 / 21; baseline 7 / 91
      ['failed_logins', 12, 1],
      ['failed_transfers', 2, 0],
      ['bytes', 2000, 4000],
      ['rejected', 1, 0],
    ]);
    expect(d.breaches).toEqual([]);
  });

  it('lists what the baseline never saw, the burst, the errors', async () => {
    const d = (await buildNightly(db, reports, base));
    expect(d.newThisNight).toEqual({ replyCodes: ['426 Connection closed; transfer aborted.'], errors: ['WSAECONNRESET'] });
    const section = (title: string) => d.sections.find((s) => s.title === title)!;
    expect(section('Brute-force bursts').rows.rows.map((r) => [r[0], r[3]])).toEqual([['198.51.100.66', 12]]);
    expect(section('Top failing clients').rows.rows).toEqual([['198.51.100.66', 12, 12, 0, 12], ['203.0.113.11', 3, 0, 3, 6]]);
    // Two FAIL UPLOADs; the 426 response after them is a reply about an attempt, not a third failed transfer.
    expect(section('Transfer errors by reply code').rows.rows).toEqual([[null, 'transfer failed (no reply code logged)', 2]]);
    expect(d.headline.find((f) => f.key === 'failed_transfers')!.value).toBe(2);
    expect(section('Winsock and Win32 errors').rows.rows).toEqual([[10054, 'WSAECONNRESET', 'Connection reset by peer.', 1]]);
    expect(section('Top failing users').command).toBe(
      'ftplog report top-users --db n.db --since 2024-03-08T00:00:00Z --until 2024-03-09T00:00:00Z --param sort=failures');
    expect(d.failuresPerHour).toHaveLength(24);
    expect(d.failuresPerHour.filter((h) => h.events > 0)).toEqual([
      { hour: '2024-03-08T01:00:00Z', events: 3, failed: 0 }, { hour: '2024-03-08T02:00:00Z', events: 3, failed: 0 },
      { hour: '2024-03-08T03:00:00Z', events: 12, failed: 12 }, { hour: '2024-03-08T04:00:00Z', events: 3, failed: 3 },
    ]);
    expect(d.failuresPerHour[0]).toEqual({ hour: '2024-03-08T00:00:00Z', events: 0, failed: 0 });
    expect(d.replyClasses).toEqual([{ label: '4xx', events: 1 }]);
  });

  it.each([
    [{ failRate: 50 }, ['Failure rate 71.43% is above 50%']],
    [{ failRate: 71.43 }, []],
    [{ authFailures: 11 }, ['12 failed logins, above 11']],
    [{ authFailures: 12 }, []],
    [{ rejects: 0 }, ['1 rejected lines, above 0']],
    [{ rejects: 1 }, []],
    [{ failRate: 10, authFailures: 5, rejects: 0 }, ['Failure rate 71.43% is above 10%', '12 failed logins, above 5', '1 rejected lines, above 0']],
  ])('thresholds %j breach %j', async (thresholds, breaches) => {
    expect((await buildNightly(db, reports, { ...base, thresholds })).breaches).toEqual(breaches);
  });

  it('says so when the baseline holds nothing', async () => {
    const d = (await buildNightly(db, reports, { ...base, now: new Date('2024-03-02T00:00:00Z') }));
    expect(d.headline.every((f) => f.baseline === null)).toBe(true);
    expect(d.newThisNight).toBeNull();
    expect(renderNightlyMarkdown(d)).toContain('No events in the baseline to compare with.');
  });

  it('prints the same figures in markdown and HTML', async () => {
    const d = (await buildNightly(db, reports, { ...base, thresholds: { failRate: 50 } }));
    const md = renderNightlyMarkdown(d);
    const html = renderNightlyHtml(d);
    for (const f of d.headline) {
      for (const text of [formatValue(f, f.value), formatValue(f, f.baseline!), formatChange(f)]) {
        expect(md).toContain(text);
        expect(html).toContain(text);
      }
    }
    for (const text of ['Failure rate 71.43% is above 50%', '198.51.100.66', 'WSAECONNRESET', 'ftplog report brute-force']) {
      expect(md).toContain(text);
      expect(html).toContain(text);
    }
    expect(md).toContain('| Failure rate (%) | 71.4% | 7.7% | +63.7 pts |');
  });

  it('writes HTML that needs nothing from outside: no script, no external fetch', async () => {
    const html = renderNightlyHtml((await buildNightly(db, reports, base)));
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(html.match(/<svg/g)).toHaveLength(2);
    expect(html).toContain('<meta name="viewport"');
    expect(html).toContain('@media print');
  });
});

describe('silent logs', () => {
  const row = (path: string, format: string, events: number) => ({ path, format, events });

  it('takes a file and its rotations for one log: a rotated file gone quiet is no silent log', async () => {
    const before = [row('/var/log/xferlog.1', 'xferlog', 40), row('/var/log/xferlog.2.gz', 'xferlog', 30), row('/var/log/vsftpd.log-20240307.gz', 'vsftpd', 5)];
    const now = [row('/var/log/xferlog', 'xferlog', 12), row('/var/log/vsftpd.log', 'vsftpd', 3)];
    expect(silentLogs(before, now)).toEqual([]);
  });

  it('names a log with events in the baseline and none now, its rotations added up; another folder is another log', async () => {
    const before = [row('/srv/ftp1/xferlog.1', 'xferlog', 40), row('/srv/ftp1/xferlog', 'xferlog', 2), row('/srv/ftp2/xferlog', 'xferlog', 9)];
    const now = [row('/srv/ftp2/xferlog', 'xferlog', 7)];
    expect(silentLogs(before, now)).toEqual([{ name: '/srv/ftp1/xferlog', format: 'xferlog', events: 42 }]);
  });
});
