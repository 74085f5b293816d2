/**
 * The two reference documents the code tables are transcribed from (their files are in the
 * development tree, never named to users: output cites the documents by title).
 * Every meaning in src/codes/ names the document it was taken from, because the two
 * documents word some codes differently and users need to know which text they read.
 */
export type SeedId = 'seed000' | 'seed001';

export const SEEDS: Record<SeedId, { file: string; title: string }> = {
  seed000: { file: '000_3686d4614065b354.txt', title: 'FTP Return Codes (reply codes and Winsock error series)' },
  seed001: { file: '001_ed50d54c42f76a39.txt', title: 'List of FTP server return codes' },
};

/** One wording of a meaning and every document that words it so. */
export interface Meaning {
  text: string;
  sources: SeedId[];
}

/**
 * Merges the wordings two documents give for one code: identical texts (up to white space)
 * become one meaning citing both documents; differing texts stay apart, each citing its own.
 */
export function meaningsFrom(texts: Partial<Record<SeedId, string>>): Meaning[] {
  const out: Meaning[] = [];
  for (const source of Object.keys(SEEDS) as SeedId[]) {
    const text = texts[source];
    if (text === undefined) continue;
    const same = out.find((m) => squash(m.text) === squash(text));
    if (same) same.sources.push(source);
    else out.push({ text, sources: [source] });
  }
  return out;
}

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
