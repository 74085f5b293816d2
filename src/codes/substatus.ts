/**
 * IIS FTP `sc-substatus` values: IIS's own detail behind a reply code (../shared/FORMATS.md §3).
 * Ranges the documentation groups together (8–12, 24–32, 44–49) share one meaning.
 */
const RANGES: ReadonlyArray<[from: number, to: number, meaning: string]> = [
  [0, 0, 'no additional detail'],
  [1, 1, 'authorization rules denied access'],
  [2, 2, 'file system denied access'],
  [3, 3, 'file system error'],
  [4, 4, 'IP restriction denied access'],
  [5, 5, 'write to the root of a virtual directory refused'],
  [8, 12, 'request filtering denied the request'],
  [13, 13, 'not a file or a directory'],
  [14, 14, 'control channel timeout'],
  [15, 15, 'data channel timeout'],
  [16, 16, 'new connection timeout'],
  [19, 19, 'maximum number of connections reached'],
  [20, 20, 'data channel closed by ABOR'],
  [21, 21, 'site is stopping'],
  [22, 22, 'data channel aborted by the server after an error'],
  [23, 23, 'data channel aborted by the client'],
  [24, 32, 'SSL policy or SSL setup problem'],
  [33, 33, 'home directory lookup failed'],
  [34, 34, 'custom authentication failed'],
  [35, 35, 'user failed to authenticate'],
  [36, 36, 'all authentication methods are disabled'],
  [37, 37, 'no site matches the host name'],
  [38, 38, 'data channel IP differs from the control channel IP'],
  [39, 39, 'maximum file size exceeded'],
  [41, 41, 'error during authentication (for example a bad password)'],
  [42, 42, 'anonymous authentication is not allowed'],
  [43, 43, 'PROT required (data channel must be protected)'],
  [44, 49, 'client certificate problem'],
  [50, 50, 'transfer below the minimum bandwidth'],
  [51, 51, 'command filtering denied the command'],
  [52, 52, 'disconnected by an administrator'],
  [53, 53, 'connection error'],
  [54, 54, 'connection closed by a configuration change'],
  [55, 55, '128-bit encryption required'],
];

export function substatusMeaning(n: number): string | undefined {
  for (const [from, to, meaning] of RANGES) if (n >= from && n <= to) return meaning;
  return undefined;
}

/** Every documented substatus value with its meaning (ranges expanded), for the reference table. */
export const SUBSTATUSES: ReadonlyArray<[number, string]> = RANGES.flatMap(([from, to, meaning]) =>
  Array.from({ length: to - from + 1 }, (_, i) => [from + i, meaning] as [number, string]),
);
