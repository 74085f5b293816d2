import { describe, expect, it } from 'vitest';
import { substatusMeaning, SUBSTATUSES } from '../../src/codes/substatus.js';
import { win32ByName, win32Status } from '../../src/codes/win32.js';
import { WINSOCK_ERRORS, winsockByName, winsockByNumber } from '../../src/codes/winsock.js';

// Seed 000's Winsock list, typed in from the document.
const SEED000_NUMBERED: Array<[number, string]> = [
  [10013, 'WSAEACCES'], [10048, 'WSAEADDRINUSE'], [10049, 'WSAEADDRNOTAVAIL'], [10047, 'WSAEAFNOSUPPORT'],
  [10037, 'WSAEALREADY'], [10053, 'WSAECONNABORTED'], [10061, 'WSAECONNREFUSED'], [10054, 'WSAECONNRESET'],
  [10039, 'WSAEDESTADDRREQ'], [10014, 'WSAEFAULT'], [10064, 'WSAEHOSTDOWN'], [10065, 'WSAEHOSTUNREACH'],
  [10036, 'WSAEINPROGRESS'], [10004, 'WSAEINTR'], [10022, 'WSAEINVAL'], [10056, 'WSAEISCONN'], [10024, 'WSAEMFILE'],
  [10040, 'WSAEMSGSIZE'], [10050, 'WSAENETDOWN'], [10052, 'WSAENETRESET'], [10051, 'WSAENETUNREACH'],
  [10055, 'WSAENOBUFS'], [10042, 'WSAENOPROTOOPT'], [10057, 'WSAENOTCONN'], [10038, 'WSAENOTSOCK'],
  [10045, 'WSAEOPNOTSUPP'], [10046, 'WSAEPFNOSUPPORT'], [10067, 'WSAEPROCLIM'], [10043, 'WSAEPROTONOSUPPORT'],
  [10041, 'WSAEPROTOTYPE'], [10058, 'WSAESHUTDOWN'], [10044, 'WSAESOCKTNOSUPPORT'], [10060, 'WSAETIMEDOUT'],
  [10035, 'WSAEWOULDBLOCK'], [11001, 'WSAHOST_NOT_FOUND'], [10093, 'WSANOTINITIALISED'], [11004, 'WSANO_DATA'],
  [11003, 'WSANO_RECOVERY'], [10091, 'WSASYSNOTREADY'], [11002, 'WSATRY_AGAIN'], [10092, 'WSAVERNOTSUPPORTED'],
  [10094, 'WSAEDISCON'],
];
const SEED000_OS_DEPENDENT = ['WSA_INVALID_HANDLE', 'WSA_INVALID_PARAMETER', 'WSAINVALIDPROCTABLE', 'WSAINVALIDPROVIDER',
  'WSA_IO_PENDING', 'WSA_IO_INCOMPLETE', 'WSA_NOT_ENOUGH_MEMORY', 'WSAPROVIDERFAILEDINIT', 'WSASYSCALLFAILURE',
  'WSA_OPERATION_ABORTED'];
const SEED001_NUMBERS = [10054, 10060, 10061, 10066, 10068];

describe('Winsock table', () => {
  it.each(SEED000_NUMBERED)('%i %s is present by number and by name', (n, name) => {
    expect(winsockByNumber(n)?.name).toBe(name);
    expect(winsockByName(name)?.number).toBe(n);
    const e = winsockByNumber(n)!;
    expect(e.meanings.some((m) => m.sources.includes('seed000'))).toBe(true);
    expect(e.explanation.length).toBeGreaterThan(20);
  });

  it.each(SEED000_OS_DEPENDENT)('%s is present with no number (OS dependent)', (name) => {
    expect(winsockByName(name)).toMatchObject({ name, number: null });
  });

  it.each(SEED001_NUMBERS)('%i carries the meaning seed 001 gives FTP clients', (n) => {
    expect(winsockByNumber(n)!.meanings.some((m) => m.sources.includes('seed001'))).toBe(true);
  });

  it('keeps both meanings of 10060, each citing its document', () => {
    expect(winsockByNumber(10060)!.meanings).toEqual([
      { text: 'Connection timed out.', sources: ['seed000'] },
      { text: 'Cannot connect to remote server.', sources: ['seed001'] },
    ]);
  });

  it('names 10066 and 10068 and gives seed 001 meanings', () => {
    expect(winsockByNumber(10066)).toMatchObject({ name: 'WSAENOTEMPTY', meanings: [{ text: 'Directory not empty.' }] });
    expect(winsockByNumber(10068)).toMatchObject({ name: 'WSAEUSERS', meanings: [{ text: 'Too many users, server is full.' }] });
  });

  it('looks names up case-insensitively and has no duplicates', () => {
    expect(winsockByName('wsaeconnreset')?.number).toBe(10054);
    expect(new Set(WINSOCK_ERRORS.map((e) => e.name)).size).toBe(WINSOCK_ERRORS.length);
    expect(WINSOCK_ERRORS).toHaveLength(SEED000_NUMBERED.length + SEED000_OS_DEPENDENT.length + 2);
  });
});

describe('Win32 table', () => {
  it.each([
    [0, 'ERROR_SUCCESS'], [2, 'ERROR_FILE_NOT_FOUND'], [3, 'ERROR_PATH_NOT_FOUND'], [5, 'ERROR_ACCESS_DENIED'],
    [32, 'ERROR_SHARING_VIOLATION'], [64, 'ERROR_NETNAME_DELETED'], [121, 'ERROR_SEM_TIMEOUT'],
    [1236, 'ERROR_CONNECTION_ABORTED'], [1326, 'ERROR_LOGON_FAILURE'], [1330, 'ERROR_PASSWORD_EXPIRED'],
    [1331, 'ERROR_ACCOUNT_DISABLED'], [1909, 'ERROR_ACCOUNT_LOCKED_OUT'],
  ])('%i is %s', (n, name) => {
    expect(win32Status(n)).toMatchObject({ number: n, name, winsock: false });
    expect(win32ByName(name.toLowerCase())?.number).toBe(n);
  });

  it('covers every Winsock number, named as Winsock', () => {
    for (const [n, name] of SEED000_NUMBERED) expect(win32Status(n)).toMatchObject({ name, winsock: true });
    expect(win32Status(10068)).toMatchObject({ name: 'WSAEUSERS', winsock: true });
  });

  it('knows nothing of an unassigned number', () => {
    expect(win32Status(4242)).toBeUndefined();
    expect(win32Status(10999)).toBeUndefined();
  });
});

describe('IIS FTP substatus', () => {
  it.each([
    [1, 'authorization rules denied access'], [14, 'control channel timeout'], [23, 'data channel aborted by the client'],
    [41, 'error during authentication (for example a bad password)'], [10, 'request filtering denied the request'],
    [30, 'SSL policy or SSL setup problem'], [55, '128-bit encryption required'],
  ])('%i means %s', (n, meaning) => {
    expect(substatusMeaning(n)).toBe(meaning);
  });

  it('has no meaning for undocumented values', () => {
    for (const n of [6, 7, 17, 18, 40, 56]) expect(substatusMeaning(n)).toBeUndefined();
    expect(SUBSTATUSES.find(([n]) => n === 12)?.[1]).toBe('request filtering denied the request');
  });
});
