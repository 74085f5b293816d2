// Deterministic synthetic FTP logs for the benchmark: the same --lines and seed give the same bytes.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';

/** mulberry32: a tiny seeded PRNG, so runs are comparable. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'backup', 'deploy', 'partner1', 'partner2', 'reports'];
const DIRS = ['/pub', '/pub/iso', '/incoming', '/srv/data', '/home/shared/Quarterly Reports'];
const EXTS = ['.iso', '.tar.gz', '.csv', '.pdf', '.log', '.zip'];
const pad = (n, w = 2) => String(n).padStart(w, '0');

function client(r) {
  const k = r();
  const n = Math.floor(r() * 5000);
  if (k < 0.15) return `2001:db8:${(n % 512).toString(16)}::${(n % 97).toString(16)}`;
  if (k < 0.25) return `::ffff:198.51.${n % 256}.${(n * 7) % 256}`;
  return `203.0.${n % 256}.${(n * 13) % 256}`;
}

function file(r) {
  const d = DIRS[Math.floor(r() * DIRS.length)];
  const spaced = r() < 0.1 ? ' copy' : '';
  return `${d}/file_${Math.floor(r() * 100000)}${spaced}${EXTS[Math.floor(r() * EXTS.length)]}`;
}

function ctime(ms) {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

function iisTime(ms) {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

const START = Date.UTC(2024, 2, 5, 0, 0, 0);

/** An address made from a number: IPv4 for most, IPv6 for one in five; distinct numbers give distinct addresses. */
function addressOf(n) {
  if (n % 5 === 0) return `2001:db8:${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}::1`;
  return `${10 + ((n >>> 16) % 200)}.${(n >>> 8) & 255}.${n & 255}.${(n * 7) & 255}`;
}

/**
 * How a log's visitors are drawn: `pool`, 5,000 addresses and ten users (the classic bench);
 * `mirror`, about 100,000 addresses per 1M lines, IPv4 and IPv6, and many paths; `botnet`, a new
 * address and user name on nearly every line, nine in ten transfers failing. (`many-files` is
 * `pool` cut into 100 files: see bench.mjs.)
 */
export const SHAPES = {
  pool: { client, user: (r) => USERS[Math.floor(r() * USERS.length)], failRate: 0.05, file },
  mirror: { client: (r) => addressOf(Math.floor(r() * 100_000)), user: (r) => USERS[Math.floor(r() * USERS.length)], failRate: 0.05, file: (r) => `/mirror/pub/${Math.floor(r() * 1_000_000)}/f${Math.floor(r() * 10)}.tar.xz` },
  botnet: { client: (r, i) => addressOf(i * 31 + Math.floor(r() * 30)), user: (r) => `u${Math.floor(r() * 1_000_000)}`, failRate: 0.9, file },
};

function* xferlog(r, shape = SHAPES.pool) {
  let t = START;
  for (let i = 0; ; i++) {
    t += Math.floor(r() * 400);
    const dir = r() < 0.6 ? 'o' : r() < 0.95 ? 'i' : 'd';
    const ok = r() >= shape.failRate;
    const bytes = ok ? Math.floor(r() * 50_000_000) : Math.floor(r() * 1000);
    const anon = r() < 0.1;
    const user = anon ? 'guest@example.org' : shape.user(r);
    yield `${ctime(t)} ${Math.floor(r() * 30)} ${shape.client(r, i)} ${bytes} ${shape.file(r)} b _ ${dir} ${anon ? 'a' : 'r'} ${user} ftp 0 * ${ok ? 'c' : 'i'}`;
  }
}

function* vsftpd(r) {
  let t = START;
  let pid = 1000;
  for (;;) {
    t += Math.floor(r() * 2000);
    const ip = client(r);
    const c = `Client "${ip}"`;
    const user = USERS[Math.floor(r() * USERS.length)];
    const p = ++pid;
    const at = (dt = 0) => ctime(t + dt);
    yield `${at()} [pid ${p}] CONNECT: ${c}`;
    yield `${at()} [pid ${p}] FTP command: ${c}, "USER ${user}"`;
    yield `${at()} [pid ${p}] FTP response: ${c}, "331 Please specify the password."`;
    yield `${at()} [pid ${p}] FTP command: ${c}, "PASS <password>"`;
    if (r() < 0.1) {
      yield `${at(1)} [pid ${p}] [${user}] FAIL LOGIN: ${c}`;
      yield `${at(1)} [pid ${p}] FTP response: ${c}, "530 Login incorrect."`;
      continue;
    }
    yield `${at(1)} [pid ${p}] [${user}] OK LOGIN: ${c}`;
    yield `${at(1)} [pid ${p + 1}] [${user}] FTP response: ${c}, "230 Login successful."`;
    const transfers = 1 + Math.floor(r() * 4);
    for (let k = 0; k < transfers; k++) {
      const f = file(r);
      const up = r() < 0.3;
      const ok = r() < 0.95;
      const bytes = Math.floor(r() * 20_000_000) + 1;
      yield `${at(2)} [pid ${p + 1}] [${user}] FTP command: ${c}, "${up ? 'STOR' : 'RETR'} ${f}"`;
      yield `${at(2)} [pid ${p + 1}] [${user}] FTP response: ${c}, "150 Opening BINARY mode data connection."`;
      yield `${at(3)} [pid ${p + 1}] [${user}] ${ok ? 'OK' : 'FAIL'} ${up ? 'UPLOAD' : 'DOWNLOAD'}: ${c}, "${f}", ${bytes} bytes, ${(r() * 5000).toFixed(2)}Kbyte/sec`;
      yield `${at(3)} [pid ${p + 1}] [${user}] FTP response: ${c}, "${ok ? '226 Transfer complete.' : '426 Failure writing network stream.'}"`;
    }
  }
}

const FIELDS_A = 'date time c-ip cs-username s-ip s-port cs-method cs-uri-stem sc-status sc-win32-status sc-substatus x-session x-fullpath';
const FIELDS_B = 'date time s-sitename s-computername c-ip c-port cs-username s-ip s-port cs-method cs-uri-stem sc-status sc-win32-status sc-substatus sc-bytes cs-bytes time-taken x-session x-fullpath';

function* iis(r) {
  let t = START;
  let session = 0;
  let layout = 'A';
  let sinceHeader = Infinity;
  for (;;) {
    if (sinceHeader > 200_000) {
      layout = layout === 'A' ? 'B' : 'A';
      yield '#Software: Microsoft Internet Information Services 10.0';
      yield '#Version: 1.0';
      yield `#Date: ${iisTime(t)}`;
      yield `#Fields: ${layout === 'A' ? FIELDS_A : FIELDS_B}`;
      sinceHeader = 0;
    }
    t += Math.floor(r() * 2000);
    const ip = client(r).replace('::ffff:', '');
    const user = USERS[Math.floor(r() * USERS.length)];
    const sid = `${(++session).toString(16).padStart(8, '0')}-0b6d-4e8e-9a43-2b1f0c9d8e77`;
    const lines = [];
    const line = (dt, logged, method, stem, status, win32, sub, bytesOut = 0, bytesIn = 0, full = '-') => {
      const when = iisTime(t + dt);
      if (layout === 'A') lines.push(`${when} ${ip} ${logged} 192.0.2.10 21 ${method} ${stem} ${status} ${win32} ${sub} ${sid} ${full}`);
      else lines.push(`${when} FTPSVC2 FTP01 ${ip} ${40000 + (session % 20000)} ${logged} 192.0.2.10 21 ${method} ${stem} ${status} ${win32} ${sub} ${bytesOut} ${bytesIn} ${Math.floor(r() * 3000)} ${sid} ${full}`);
    };
    line(0, '-', 'ControlChannelOpened', '-', '-', 0, 0);
    line(0, '-', 'USER', user, 331, 0, 0);
    if (r() < 0.1) {
      line(1, '-', 'PASS', '***', 530, 1326, 41);
    } else {
      line(1, user, 'PASS', '***', 230, 0, 0, 0, 0, '/');
      const transfers = 1 + Math.floor(r() * 3);
      for (let k = 0; k < transfers; k++) {
        const f = file(r).replace(/ /g, '+');
        const up = r() < 0.3;
        const fail = r() < 0.05;
        const bytes = Math.floor(r() * 20_000_000);
        line(2, user, 'DataChannelOpened', '-', '-', 0, 0);
        line(3, user, 'DataChannelClosed', '-', '-', fail ? 10054 : 0, fail ? 23 : 0, up ? 0 : bytes, up ? bytes : 0, f);
        line(3, user, up ? 'STOR' : 'RETR', f, fail ? 426 : 226, fail ? 10054 : 0, fail ? 23 : 0, up ? 0 : bytes, up ? bytes : 0, f);
      }
      line(4, user, 'QUIT', '-', 221, 0, 0);
    }
    line(4, user === '-' ? '-' : user, 'ControlChannelClosed', '-', '-', 0, 0);
    for (const l of lines) {
      sinceHeader++;
      yield l;
    }
  }
}

export const GENERATORS = { xferlog, vsftpd, iis };

/**
 * Writes `lines` xferlog lines of a shape to `path`; returns the byte count and the distinct client
 * addresses and user names it holds.
 */
export async function generateShape(shape, lines, path, seed = 42) {
  const source = xferlog(rng(seed), SHAPES[shape]);
  const clients = new Set();
  const users = new Set();
  const bytes = await writeLines(path, '\n', (function* () {
    for (let n = 0; n < lines; n++) {
      const line = source.next().value;
      // After the 24-character date: seconds, then the client; the user is fifth from the end.
      clients.add(line.slice(25).split(' ', 2)[1]);
      const f = line.split(' ');
      users.add(f[f.length - 5]);
      yield line;
    }
  })());
  return { bytes, clients: clients.size, users: users.size };
}

/** Writes `lines` lines of `format` to `path` (CRLF for IIS, as IIS writes). Returns the byte count. */
export async function generate(format, lines, path, seed = 42) {
  const source = GENERATORS[format](rng(seed));
  return writeLines(path, eolOf(format), (function* () {
    for (let n = 0; n < lines; n++) yield source.next().value;
  })());
}

/**
 * The lines generate() writes, cut into `parts` files of (nearly) equal line counts in `dir`,
 * part_000.log on. Every IIS part after the first starts with the header block in force, as IIS
 * starts each new file with one (those 4 lines come on top of `lines`). Returns the file paths.
 */
export async function generateParts(format, lines, dir, parts, seed = 42) {
  const source = GENERATORS[format](rng(seed));
  const header = [];
  const paths = [];
  for (let p = 0, left = lines; p < parts; p++) {
    const count = Math.ceil(left / (parts - p));
    left -= count;
    const path = join(dir, `part_${String(p).padStart(3, '0')}.log`);
    const carried = [...header];
    await writeLines(path, eolOf(format), (function* () {
      yield* carried;
      for (let n = 0; n < count; n++) {
        const line = source.next().value;
        if (line.startsWith('#Software:')) header.length = 0;
        if (line.startsWith('#')) header.push(line);
        yield line;
      }
    })());
    paths.push(path);
  }
  return paths;
}

const eolOf = (format) => (format === 'iis' ? '\r\n' : '\n');

/** Writes lines to a file in chunks of 10,000; returns the byte count. */
async function writeLines(path, eol, lines) {
  const out = createWriteStream(path);
  let buf = [];
  let bytes = 0;
  const write = async (chunk) => {
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  };
  for (const line of lines) {
    buf.push(line);
    if (buf.length === 10_000) {
      await write(buf.join(eol) + eol);
      buf = [];
    }
  }
  if (buf.length > 0) await write(buf.join(eol) + eol);
  out.end();
  await once(out, 'finish');
  return bytes;
}
