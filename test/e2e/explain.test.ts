import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('ftplog explain (built CLI)', () => {
  it('explains a reply code with class, group and cited meanings', () => {
    const r = runCli(['explain', '530']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('530  FTP reply code');
    expect(r.stdout).toContain('class 5xx: permanent negative completion');
    expect(r.stdout).toContain('group x3x: authentication and accounting');
    expect(r.stdout).toContain('meaning: Not logged in.  [1, 2]');
    expect(r.stdout).toContain('\n[1] FTP Return Codes (reply codes and Winsock error series)\n[2] List of FTP server return codes\n');
    expect(r.stdout).not.toMatch(/seed|shared\//);
  });

  it('shows both wordings where the documents differ', () => {
    const r = runCli(['explain', '215']);
    expect(r.stdout).toMatch(/Assigned Numbers document\.\s+\[1\]/);
    expect(r.stdout).toMatch(/registry kept by IANA\.\s+\[2\]/);
  });

  it('explains a Winsock error by number and by name, case-insensitively', () => {
    const byNumber = runCli(['explain', '10054']);
    const byName = runCli(['explain', 'wsaeConnReset']);
    expect(byNumber.status).toBe(0);
    expect(byName.status).toBe(0);
    expect(byNumber.stdout).toContain('10054  WSAECONNRESET  Winsock error');
    expect(byNumber.stdout).toContain('Connection reset by peer.');
    expect(byName.stdout).toBe(byNumber.stdout);
  });

  it('explains a Win32 status', () => {
    const r = runCli(['explain', '1326']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('1326  ERROR_LOGON_FAILURE');
    expect(r.stdout).toContain('The user name or password is incorrect.');
  });

  it('says 999 is no FTP reply and exits 1', () => {
    const r = runCli(['explain', '999']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('999 is not an FTP reply code');
  });

  it('prints one JSON object with --format json', () => {
    const r = runCli(['explain', '10060', '--format', 'json']);
    expect(r.status).toBe(0);
    const obj = JSON.parse(r.stdout);
    expect(obj).toMatchObject({ query: '10060', found: true, reply: null, winsock: { number: 10060, name: 'WSAETIMEDOUT' } });
    expect(obj.winsock.meanings).toEqual([
      { text: 'Connection timed out.', sources: ['FTP Return Codes (reply codes and Winsock error series)'] },
      { text: 'Cannot connect to remote server.', sources: ['List of FTP server return codes'] },
    ]);
    const miss = runCli(['explain', 'nonsense', '--format', 'json']);
    expect(miss.status).toBe(1);
    expect(JSON.parse(miss.stdout)).toMatchObject({ found: false });
  });

  it('treats a missing argument or a bad option as a usage error (exit 2)', () => {
    expect(runCli(['explain']).status).toBe(2);
    expect(runCli(['explain', '530', '--format', 'xml']).status).toBe(2);
    expect(runCli(['no-such-command']).status).toBe(2);
  });

  it("explains IIS's three numbers of one line together, written with slashes or as three arguments", () => {
    for (const args of [['530/1326/41'], ['530', '1326', '41']]) {
      const r = runCli(['explain', ...args]);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('530 1326 41  as IIS writes them in one line');
      expect(r.stdout).toContain('1326  ERROR_LOGON_FAILURE');
      expect(r.stdout).toContain('41  IIS FTP substatus (sc-substatus)\n  meaning: error during authentication (for example a bad password)');
    }
    const json = JSON.parse(runCli(['explain', '550/5/2', '--format', 'json']).stdout);
    expect(json).toMatchObject({ found: true, triple: { status: 550, win32: 5, substatus: 2 }, substatus: { number: 2, meaning: 'file system denied access' } });
    expect(json.win32.name).toBe('ERROR_ACCESS_DENIED');
    const unknown = runCli(['explain', '530/1326/99']);
    expect(unknown.status).toBe(1);
    expect(unknown.stdout).toContain('99 is not an IIS FTP substatus');
  });

  it('says what a bare substatus is', () => {
    const r = runCli(['explain', '41']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('41  IIS FTP substatus (sc-substatus)');
  });

  it('has --help on the program and the command', () => {
    const top = runCli(['--help']);
    expect(top.status).toBe(0);
    expect(top.stdout).toContain('explain');
    const sub = runCli(['explain', '--help']);
    expect(sub.status).toBe(0);
    expect(sub.stdout).toContain('Examples:');
  });
});
