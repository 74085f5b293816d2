import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/parse.js';
import { tempDir } from '../helpers/tmp.js';

const CHROMIUM = '/usr/bin/chromium';
// CI installs Debian's chromium (.ci/run) and must run this test; elsewhere it is skipped, visibly,
// when the browser is missing (set FTPLOG_BROWSER_TEST=1 to insist).
const required = process.env.CI === 'true' || process.env.FTPLOG_BROWSER_TEST === '1';
const runIt = existsSync(CHROMIUM) || required;

describe('nightly HTML in headless Chromium', () => {
  it.runIf(runIt)('renders with no console errors, charts with a size, readable on a phone and in print', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`).toBe(true);
    const dir = tempDir();
    const html = join(dir, 'nightly.html');
    const r = runCli(['nightly', fixture('nightly'), '--db', join(dir, 'n.db'), '--tz', 'UTC', '--quiet',
      '--now', '2024-03-09T00:00:00Z', '--out', html, '--fail-rate-above', '50']);
    expect(r.status).toBe(3);

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const problems: string[] = [];
      const requests: string[] = [];
      const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
      page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('request', (req) => { if (!req.url().startsWith('file:')) requests.push(req.url()); });
      await page.goto(pathToFileURL(html).href);

      const charts = await page.locator('svg.chart').evaluateAll((svgs) => svgs.map((s) => {
        const b = s.getBoundingClientRect();
        return { w: b.width, h: b.height, shapes: s.querySelectorAll('rect').length };
      }));
      expect(charts).toHaveLength(2);
      for (const c of charts) {
        expect(c.w).toBeGreaterThan(100);
        expect(c.h).toBeGreaterThan(20);
        expect(c.shapes).toBeGreaterThan(0);
      }
      await expect(page.locator('.breaches').textContent()).resolves.toContain('Failure rate 71.43% is above 50%');
      const shot = join(dir, 'nightly.png');
      if (process.env.FTPLOG_KEEP_SHOTS) await page.screenshot({ path: join(process.env.FTPLOG_KEEP_SHOTS, 'nightly.png'), fullPage: true });
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(10_000);

      // A phone: the page itself does not scroll sideways (wide tables scroll in their own box).
      await page.setViewportSize({ width: 375, height: 800 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(dir, 'nightly-phone.png'), fullPage: true });

      await page.emulateMedia({ media: 'print' });
      const printed = await page.locator('svg.chart').first().boundingBox();
      expect(printed!.width).toBeGreaterThan(100);
      await page.pdf({ path: join(dir, 'nightly.pdf') });
      expect(statSync(join(dir, 'nightly.pdf')).size).toBeGreaterThan(10_000);

      expect(problems).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
