import { meaningsFrom, type Meaning } from './sources.js';

export interface WinsockError {
  /** `null` for the WSA_* errors whose number seed 000 gives as "OS dependent". */
  number: number | null;
  name: string;
  /** Short meanings as the documents word them, each citing its document. */
  meanings: Meaning[];
  /** What it usually means in practice, in this project's words. */
  explanation: string;
}

type Row = [number: number | null, name: string, seed000: string | undefined, seed001: string | undefined, explanation: string];

const ROWS: Row[] = [
  [10004, 'WSAEINTR', 'Interrupted function call.', undefined,
    'A blocking socket call was cancelled before it finished (WSACancelBlockingCall).'],
  [10013, 'WSAEACCES', 'Permission denied.', undefined,
    'The socket was used in a way its permissions forbid, such as sending to a broadcast address without the broadcast option set.'],
  [10014, 'WSAEFAULT', 'Bad address.', undefined,
    'A pointer argument passed to the socket call was invalid, or a buffer (for example a sockaddr) was too small.'],
  [10022, 'WSAEINVAL', 'Invalid argument.', undefined,
    'An argument was invalid, or the call does not fit the socket state (for example accept on a socket that is not listening).'],
  [10024, 'WSAEMFILE', 'Too many open files.', undefined,
    'The process, thread or system has run out of socket handles.'],
  [10035, 'WSAEWOULDBLOCK', 'Resource temporarily unavailable.', undefined,
    'A non-blocking socket call could not complete at once; retry later. Normal while a non-blocking connect is still in progress.'],
  [10036, 'WSAEINPROGRESS', 'Operation now in progress.', undefined,
    'Another blocking call is already running on this task or thread; only one may be outstanding.'],
  [10037, 'WSAEALREADY', 'Operation already in progress.', undefined,
    'A non-blocking operation was started again while the first one is still running, or an already finished request was cancelled.'],
  [10038, 'WSAENOTSOCK', 'Socket operation on non-socket.', undefined,
    'The handle given is not a socket (or an fd_set member passed to select is not valid).'],
  [10039, 'WSAEDESTADDRREQ', 'Destination address required.', undefined,
    'The call needed a destination address and none (or ADDR_ANY) was given.'],
  [10040, 'WSAEMSGSIZE', 'Message too long.', undefined,
    'A datagram was larger than the buffer or network limit, or the receive buffer was smaller than the datagram.'],
  [10041, 'WSAEPROTOTYPE', 'Protocol wrong type for socket.', undefined,
    'The protocol asked for does not match the socket type (for example UDP on a stream socket).'],
  [10042, 'WSAENOPROTOOPT', 'Bad protocol option.', undefined,
    'getsockopt or setsockopt was given an unknown, invalid or unsupported option or level.'],
  [10043, 'WSAEPROTONOSUPPORT', 'Protocol not supported.', undefined,
    'The protocol requested is not configured or not implemented on this system.'],
  [10044, 'WSAESOCKTNOSUPPORT', 'Socket type not supported.', undefined,
    'This address family does not support the socket type requested (for example raw sockets).'],
  [10045, 'WSAEOPNOTSUPP', 'Operation not supported.', undefined,
    'The operation does not apply to this kind of socket (for example accept on a datagram socket).'],
  [10046, 'WSAEPFNOSUPPORT', 'Protocol family not supported.', undefined,
    'The protocol family is not configured or not implemented; in practice interchangeable with WSAEAFNOSUPPORT.'],
  [10047, 'WSAEAFNOSUPPORT', 'Address family not supported by protocol family.', undefined,
    'An address of the wrong family was used for this socket, or the protocol does not support that family.'],
  [10048, 'WSAEADDRINUSE', 'Address already in use.', undefined,
    'Binding failed because the address and port are already taken, or still held by a socket that is closing.'],
  [10049, 'WSAEADDRNOTAVAIL', 'Cannot assign requested address.', undefined,
    'The address is not valid here: not an address of this machine, or a remote address or port (such as port 0) that cannot be reached.'],
  [10050, 'WSAENETDOWN', 'Network is down.', undefined,
    'The network stack, the network interface or the local network itself has failed.'],
  [10051, 'WSAENETUNREACH', 'Network is unreachable.', undefined,
    'The local host knows no route to the destination network.'],
  [10052, 'WSAENETRESET', 'Network dropped connection on reset.', undefined,
    'The peer crashed and rebooted during the connection, or keep-alive was set on a connection that had already failed.'],
  [10053, 'WSAECONNABORTED', 'Software caused connection abort.', undefined,
    'This host aborted an established connection, typically after a data transmission timeout or a protocol error. In FTP logs: the server gave up on the client.'],
  [10054, 'WSAECONNRESET', 'Connection reset by peer.', 'Connection reset by peer. The connection was forcibly closed by the remote host.',
    'The remote side closed the connection abruptly: the client program was stopped, its host rebooted, or it closed hard. In FTP logs: the client went away mid-session or mid-transfer.'],
  [10055, 'WSAENOBUFS', 'No buffer space available.', undefined,
    'The system ran out of buffer space or a queue was full.'],
  [10056, 'WSAEISCONN', 'Socket is already connected.', undefined,
    'connect was called on a socket that is already connected.'],
  [10057, 'WSAENOTCONN', 'Socket is not connected.', undefined,
    'Data was sent or received on a socket that is not (or no longer) connected.'],
  [10058, 'WSAESHUTDOWN', 'Cannot send after socket shutdown.', undefined,
    'The socket had already been shut down in that direction.'],
  [10060, 'WSAETIMEDOUT', 'Connection timed out.', 'Cannot connect to remote server.',
    'The peer did not answer in time, either while connecting or on an established connection. In FTP logs: often a firewall or NAT dropping the data connection.'],
  [10061, 'WSAECONNREFUSED', 'Connection refused.', 'Cannot connect to remote server. The connection is actively refused by the server.',
    'The target machine actively refused the connection: nothing is listening on that port. In FTP logs: often an active-mode data connection to a closed client port.'],
  [10064, 'WSAEHOSTDOWN', 'Host is down.', undefined,
    'The destination host is down; usually reported as WSAETIMEDOUT instead.'],
  [10065, 'WSAEHOSTUNREACH', 'No route to host.', undefined,
    'The destination host cannot be reached (see WSAENETUNREACH); also seen when a provider blocks the port.'],
  // Seed 000 lists neither 10066 nor 10068; seed 001 gives the meanings FTP clients show for them.
  [10066, 'WSAENOTEMPTY', undefined, 'Directory not empty.',
    'A directory could not be removed because it still holds files.'],
  [10067, 'WSAEPROCLIM', 'Too many processes.', undefined,
    'The Windows Sockets implementation has reached its limit of applications using it at once.'],
  [10068, 'WSAEUSERS', undefined, 'Too many users, server is full.',
    'The server has reached its limit of users; try again later.'],
  [10091, 'WSASYSNOTREADY', 'Network subsystem is unavailable.', undefined,
    'WSAStartup could not start because the underlying network subsystem is not available (wrong, mixed or missing WINSOCK.DLL).'],
  [10092, 'WSAVERNOTSUPPORTED', 'WINSOCK.DLL version out of range.', undefined,
    'The installed Windows Sockets does not support the version the application asked for.'],
  [10093, 'WSANOTINITIALISED', 'Successful WSAStartup not yet performed.', undefined,
    'The application used sockets before a successful WSAStartup, after too many WSACleanup calls, or on a socket owned by another task.'],
  [10094, 'WSAEDISCON', 'Graceful shutdown in progress.', undefined,
    'The remote side has started an orderly shutdown of the connection.'],
  [11001, 'WSAHOST_NOT_FOUND', 'Host not found.', undefined,
    'The host name is not known to any name service that was asked.'],
  [11002, 'WSATRY_AGAIN', 'Non-authoritative host not found.', undefined,
    'A temporary name-resolution failure: no authoritative answer came back. A later retry may succeed.'],
  [11003, 'WSANO_RECOVERY', 'This is a non-recoverable error.', undefined,
    'Name lookup failed for good: the hosts/services files are missing or the DNS server returned a severe error.'],
  [11004, 'WSANO_DATA', 'Valid name, no data record of requested type.', undefined,
    'The name exists but has no record of the kind asked for (for example a host with an MX record but no address record).'],
  [null, 'WSA_INVALID_HANDLE', 'Specified event object handle is invalid.', undefined,
    'The event object handle passed to a Windows Sockets call is not valid.'],
  [null, 'WSA_INVALID_PARAMETER', 'One or more parameters are invalid.', undefined,
    'A Windows Sockets call that maps straight to a Win32 call was given invalid parameters.'],
  [null, 'WSAINVALIDPROCTABLE', 'Invalid procedure table from service provider.', undefined,
    'A service provider handed WS2_32.DLL a broken procedure table (usually null function pointers).'],
  [null, 'WSAINVALIDPROVIDER', 'Invalid service provider version number.', undefined,
    'A service provider reported a version other than 2.0.'],
  [null, 'WSA_IO_PENDING', 'Overlapped operations will complete later.', undefined,
    'An overlapped operation was started and will signal its completion later; not a failure.'],
  [null, 'WSA_IO_INCOMPLETE', 'Overlapped I/O event object not in signaled state.', undefined,
    'The application asked about an overlapped operation that has not finished yet.'],
  [null, 'WSA_NOT_ENOUGH_MEMORY', 'Insufficient memory available.', undefined,
    'A Windows Sockets call that maps straight to a Win32 call ran out of memory.'],
  [null, 'WSAPROVIDERFAILEDINIT', 'Unable to initialize a service provider.', undefined,
    'A service provider DLL could not be loaded or its startup function failed.'],
  [null, 'WSASYSCALLFAILURE', 'System call failure.', undefined,
    'A system call that should never fail did fail (for example while reading the provider catalog in the registry).'],
  [null, 'WSA_OPERATION_ABORTED', 'Overlapped operation aborted.', undefined,
    'An overlapped operation was cancelled because its socket was closed or SIO_FLUSH was issued.'],
];

export const WINSOCK_ERRORS: readonly WinsockError[] = ROWS.map(([number, name, seed000, seed001, explanation]) => ({
  number,
  name,
  meanings: meaningsFrom({ seed000, seed001 }),
  explanation,
}));

const byNumber = new Map<number, WinsockError>();
const byName = new Map<string, WinsockError>();
for (const e of WINSOCK_ERRORS) {
  if (e.number !== null) byNumber.set(e.number, e);
  byName.set(e.name.toUpperCase(), e);
}

export function winsockByNumber(n: number): WinsockError | undefined {
  return byNumber.get(n);
}

/** Case-insensitive lookup by name (`wsaeconnreset` finds WSAECONNRESET). */
export function winsockByName(name: string): WinsockError | undefined {
  return byName.get(name.toUpperCase());
}

/** The Winsock number range: anything in it is reported as a Winsock error even when unnamed. */
export function isWinsockNumber(n: number): boolean {
  return n >= 10000 && n <= 11999;
}
