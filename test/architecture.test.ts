import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The house plan's one-way data flow, read from the sources: which module may import which.

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every project module a file imports or re-exports, as a path below src/ (`store/index.ts`). */
function projectImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s+'([^']+)'|\bimport\s*\(\s*'([^']+)'\s*\)|(?:^|\n)\s*import\s+'([^']+)'/g)]
    .map((m) => m[1] ?? m[2] ?? m[3]!);
  return specs
    .filter((s) => s.startsWith('.'))
    .map((s) => relative(SRC, resolve(dirname(file), s)).replace(/\.js$/, '.ts'));
}

const GRAPH = new Map(sources(SRC).map((f) => [relative(SRC, f), projectImports(f)]));

/** The imports of modules under `from` that point at `to` (a folder with a trailing slash, or a file). */
function importsOf(from: string, to: string): string[] {
  const hits: string[] = [];
  for (const [file, deps] of GRAPH) {
    if (!file.startsWith(from)) continue;
    for (const d of deps) if (to.endsWith('/') ? d.startsWith(to) : d === to) hits.push(`${file} -> ${d}`);
  }
  return hits;
}

describe('import rules (DESIGN.md: data flows one way)', () => {
  it('reads the real import graph', () => {
    expect(GRAPH.size).toBeGreaterThan(30);
    expect(GRAPH.get('ingest/ingest.ts')).toContain('store/index.ts');
    expect(GRAPH.get('cli.ts')).toContain('event.ts');
  });

  it('the event model is a leaf', () => {
    expect(GRAPH.get('event.ts')).toEqual([]);
  });

  it.each([
    ['codes/', 'formats/'], ['codes/', 'store/'], ['codes/', 'ingest/'], ['codes/', 'report/'],
    ['formats/', 'store/'], ['formats/', 'ingest/'], ['formats/', 'report/'],
    ['store/', 'formats/'], ['store/', 'ingest/'], ['store/', 'report/'],
    ['report/', 'formats/'], ['report/', 'ingest/'],
    ['number.ts', 'formats/'], ['timestamp.ts', 'formats/'],
  ])('%s imports nothing from %s', (from, to) => {
    expect(importsOf(from, to)).toEqual([]);
  });

  it('nothing imports the command line', () => {
    expect(importsOf('', 'cli.ts')).toEqual([]);
  });

  it('ingest and reports reach the store only through its interface', () => {
    const inside = (d: string) => d.startsWith('store/') && d !== 'store/index.ts';
    const hits = [...GRAPH].filter(([f]) => !f.startsWith('store/')).flatMap(([f, deps]) => deps.filter(inside).map((d) => `${f} -> ${d}`));
    expect(hits).toEqual([]);
  });

  it('one store engine does not reach into another', () => {
    const engines = [...new Set([...GRAPH.keys()].filter((f) => /^store\/[^/]+\//.test(f)).map((f) => f.split('/')[1]))];
    for (const engine of engines) {
      const hits = importsOf(`store/${engine}/`, 'store/').filter((h) => /-> store\/[^/]+\//.test(h) && !h.includes(`-> store/${engine}/`));
      expect(hits).toEqual([]);
    }
  });
});
