import { isWinsockNumber, winsockByNumber } from './winsock.js';

/** A Windows error number as IIS writes it in `sc-win32-status`. */
export interface Win32Status {
  number: number;
  name: string;
  meaning: string;
  /** True when the number is a Winsock error (10000 series): then `name` is its WSA* name. */
  winsock: boolean;
}

/**
 * The Windows system error codes IIS FTP logs most, with the wording of the Windows
 * system error documentation (names from winerror.h).
 */
const WIN32: ReadonlyArray<[number, string, string]> = [
  [0, 'ERROR_SUCCESS', 'The operation completed successfully.'],
  [1, 'ERROR_INVALID_FUNCTION', 'Incorrect function.'],
  [2, 'ERROR_FILE_NOT_FOUND', 'The system cannot find the file specified.'],
  [3, 'ERROR_PATH_NOT_FOUND', 'The system cannot find the path specified.'],
  [5, 'ERROR_ACCESS_DENIED', 'Access is denied.'],
  [6, 'ERROR_INVALID_HANDLE', 'The handle is invalid.'],
  [8, 'ERROR_NOT_ENOUGH_MEMORY', 'Not enough memory resources are available to process this command.'],
  [32, 'ERROR_SHARING_VIOLATION', 'The process cannot access the file because it is being used by another process.'],
  [50, 'ERROR_NOT_SUPPORTED', 'The request is not supported.'],
  [64, 'ERROR_NETNAME_DELETED', 'The specified network name is no longer available (the client went away mid-transfer).'],
  [80, 'ERROR_FILE_EXISTS', 'The file exists.'],
  [87, 'ERROR_INVALID_PARAMETER', 'The parameter is incorrect.'],
  [112, 'ERROR_DISK_FULL', 'There is not enough space on the disk.'],
  [121, 'ERROR_SEM_TIMEOUT', 'The semaphore timeout period has expired (a network operation timed out).'],
  [123, 'ERROR_INVALID_NAME', 'The filename, directory name, or volume label syntax is incorrect.'],
  [145, 'ERROR_DIR_NOT_EMPTY', 'The directory is not empty.'],
  [183, 'ERROR_ALREADY_EXISTS', 'Cannot create a file when that file already exists.'],
  [995, 'ERROR_OPERATION_ABORTED', 'The I/O operation has been aborted because of either a thread exit or an application request.'],
  [1225, 'ERROR_CONNECTION_REFUSED', 'The remote computer refused the network connection.'],
  [1236, 'ERROR_CONNECTION_ABORTED', 'The network connection was aborted by the local system.'],
  [1326, 'ERROR_LOGON_FAILURE', 'The user name or password is incorrect.'],
  [1327, 'ERROR_ACCOUNT_RESTRICTION', 'Account restrictions are preventing this user from signing in.'],
  [1330, 'ERROR_PASSWORD_EXPIRED', 'The password for this account has expired.'],
  [1331, 'ERROR_ACCOUNT_DISABLED', 'This user cannot sign in because this account is currently disabled.'],
  [1385, 'ERROR_LOGON_TYPE_NOT_GRANTED', 'The user has not been granted the requested logon type at this computer.'],
  [1907, 'ERROR_PASSWORD_MUST_CHANGE', "The user's password must be changed before signing in."],
  [1909, 'ERROR_ACCOUNT_LOCKED_OUT', 'The referenced account is currently locked out and may not be logged on to.'],
];

const byNumber = new Map(WIN32.map(([number, name, meaning]) => [number, { number, name, meaning, winsock: false }]));
const byName = new Map(WIN32.map(([number, name, meaning]) => [name, { number, name, meaning, winsock: false }]));

/** Every non-Winsock Win32 status in the table, in number order. */
export const WIN32_STATUSES: readonly Win32Status[] = [...byNumber.values()];

/** Looks up a `sc-win32-status` value: the Win32 table first, then the Winsock table. */
export function win32Status(n: number): Win32Status | undefined {
  const own = byNumber.get(n);
  if (own) return own;
  const ws = isWinsockNumber(n) ? winsockByNumber(n) : undefined;
  if (!ws) return undefined;
  return { number: n, name: ws.name, meaning: ws.meanings[0]!.text, winsock: true };
}

export function win32ByName(name: string): Win32Status | undefined {
  return byName.get(name.toUpperCase());
}
