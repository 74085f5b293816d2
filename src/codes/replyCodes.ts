import type { Outcome } from '../event.js';
import { meaningsFrom, type Meaning } from './sources.js';

/** First digit of a reply: how the exchange stands. */
export type ReplyClass = 1 | 2 | 3 | 4 | 5 | 6;
/** Second digit of a reply: what the reply is about (6–9 are unassigned). */
export type ReplyGroup = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

export const REPLY_CLASSES: Record<ReplyClass, { name: string; description: string }> = {
  1: {
    name: 'positive preliminary',
    description: 'The requested action is being initiated; expect another reply before proceeding with a new command.',
  },
  2: { name: 'positive completion', description: 'The requested action has been successfully completed.' },
  3: {
    name: 'positive intermediate',
    description: 'The command has been accepted, but the requested action is on hold, pending receipt of further information.',
  },
  4: {
    name: 'transient negative completion',
    description:
      'The command was not accepted and the requested action did not take place, but the error condition is temporary and the action may be requested again.',
  },
  5: {
    name: 'permanent negative completion',
    description: 'The command was not accepted and the requested action did not take place.',
  },
  6: {
    name: 'protected',
    description: 'RFC 2228 protected reply: a Base64-encoded reply to a secure command that decodes into one of the other classes.',
  },
};

export const REPLY_GROUPS: Record<ReplyGroup, { name: string; description: string }> = {
  0: { name: 'syntax', description: 'Syntax errors, syntactically correct commands that fit no functional category, unimplemented or superfluous commands.' },
  1: { name: 'information', description: 'Replies to requests for information, such as status or help.' },
  2: { name: 'connections', description: 'Replies referring to the control and data connections.' },
  3: { name: 'authentication and accounting', description: 'Replies for the login process and accounting procedures.' },
  4: { name: 'unspecified', description: 'Unspecified as of RFC 959.' },
  5: { name: 'file system', description: 'The status of the server file system with respect to the requested transfer or other file system action.' },
  6: { name: 'unassigned', description: 'No group is assigned to this second digit.' },
  7: { name: 'unassigned', description: 'No group is assigned to this second digit.' },
  8: { name: 'unassigned', description: 'No group is assigned to this second digit.' },
  9: { name: 'unassigned', description: 'No group is assigned to this second digit.' },
};

/**
 * Each code with the wording of seed 000 ("FTP Return Codes") and of seed 001 ("List of FTP
 * server return codes"), transcribed as the documents write them. `undefined` = not listed there.
 */
const TRANSCRIBED: ReadonlyArray<[code: number, seed000: string | undefined, seed001: string | undefined]> = [
  [110, 'Restart marker reply.',
    'Restart marker replay . In this case, the text is exact and not left to the particular implementation; it must read: MARK yyyy = mmmm where yyyy is User-process data stream marker, and mmmm server\'s equivalent marker (note the spaces between markers and "=").'],
  [120, 'Service ready in n minutes.', 'Service ready in nnn minutes.'],
  [125, 'Data connection already open; transfer starting.', 'Data connection already open; transfer starting.'],
  [150, 'File status okay; about to open data connection', 'File status okay; about to open data connection.'],
  [200, 'Command okay.', undefined],
  [202, 'Command not implemented, superfluous at this site.', 'Command not implemented, superfluous at this site.'],
  [211, 'System status, or system help reply.', 'System status, or system help reply.'],
  [212, 'Directory status.', 'Directory status.'],
  [213, 'File status.', 'File status.'],
  [214, 'Help message. On how to use the server or the meaning of a particular non-standard command. This reply is useful only to the human user.',
    'Help message.On how to use the server or the meaning of a particular non-standard command. This reply is useful only to the human user.'],
  [215, 'NAME system type. Where NAME is an official system name from the list in the Assigned Numbers document.',
    'NAME system type. Where NAME is an official system name from the registry kept by IANA.'],
  [220, 'Service ready for new user.', 'Service ready for new user.'],
  [221, 'Service closing control connection.', 'Service closing control connection.'],
  [225, 'Data connection open; no transfer in progress.', 'Data connection open; no transfer in progress.'],
  [226, 'Closing data connection. Requested file action successful (for example, file transfer or file abort).',
    'Closing data connection. Requested file action successful (for example, file transfer or file abort).'],
  [227, 'Entering Passive Mode (h1, h2, h3, h4, p1, p2).', 'Entering Passive Mode (h1,h2,h3,h4,p1,p2).'],
  [228, undefined, 'Entering Long Passive Mode (long address, port).'],
  [229, undefined, 'Entering Extended Passive Mode (|||port|).'],
  [230, 'User logged in, proceed. Logged out if appropriate.', 'User logged in, proceed. Logged out if appropriate.'],
  [231, undefined, 'User logged out; service terminated.'],
  [232, undefined, 'Logout command noted, will complete when transfer done.'],
  [250, 'Requested file action okay, completed.', 'Requested file action okay, completed.'],
  [257, '"PATHNAME" created.', '"PATHNAME" created.'],
  [331, 'User name okay, need password.', 'User name okay, need password.'],
  [332, 'Need account for login.', 'Need account for login.'],
  [350, 'Requested file action pending further information', 'Requested file action pending further information'],
  [421, 'Service not available, closing control connection. This may be a reply to any command if the service knows it must shut down.',
    'Service not available, closing control connection. This may be a reply to any command if the service knows it must shut down.'],
  [425, "Can't open data connection.", "Can't open data connection."],
  [426, 'Connection closed; transfer aborted.', 'Connection closed; transfer aborted.'],
  [430, undefined, 'Invalid username or password'],
  [434, undefined, 'Requested host unavailable.'],
  [450, 'Requested file action not taken.', 'Requested file action not taken.'],
  [451, 'Requested action aborted. Local error in processing.', 'Requested action aborted. Local error in processing.'],
  [452, 'Requested action not taken. Insufficient storage space in system. File unavailable (e.g., file busy).',
    'Requested action not taken. Insufficient storage space in system.File unavailable (e.g., file busy).'],
  // Seed 001 lists no separate 500 entry: its "500 Series" heading carries the code's meaning.
  [500, 'Syntax error, command unrecognized. This may include errors such as command line too long.',
    'Syntax error, command unrecognized and the requested action did not take place. This may include errors such as command line too long.'],
  [501, 'Syntax error in parameters or arguments.', 'Syntax error in parameters or arguments.'],
  [502, 'Command not implemented.', 'Command not implemented.'],
  [503, 'Bad sequence of commands.', 'Bad sequence of commands.'],
  [504, 'Command not implemented for that parameter.', 'Command not implemented for that parameter.'],
  [530, 'Not logged in.', 'Not logged in.'],
  [532, 'Need account for storing files.', 'Need account for storing files.'],
  [550, 'Requested action not taken. File unavailable (e.g., file not found, no access).',
    'Requested action not taken. File unavailable (e.g., file not found, no access).'],
  [551, 'Requested action aborted. Page type unknown.', 'Requested action aborted. Page type unknown.'],
  [552, 'Requested file action aborted. Exceeded storage allocation (for current directory or dataset).',
    'Requested file action aborted. Exceeded storage allocation (for current directory or dataset).'],
  [553, 'Requested action not taken. File name not allowed.', 'Requested action not taken. File name not allowed.'],
  [631, undefined, 'Integrity protected reply.'],
  [632, undefined, 'Confidentiality and integrity protected reply.'],
  [633, undefined, 'Confidentiality protected reply.'],
];

/** Known reply codes and their meanings, each citing its document. */
export const REPLY_CODES: ReadonlyMap<number, Meaning[]> = new Map(
  TRANSCRIBED.map(([code, seed000, seed001]) => [code, meaningsFrom({ seed000, seed001 })]),
);

export interface ReplyCodeInfo {
  code: number;
  replyClass: ReplyClass;
  className: string;
  group: ReplyGroup;
  groupName: string;
  /** Empty for a well-formed code that neither document lists. */
  meanings: Meaning[];
}

/** True for the three-digit numbers an FTP server can send: 100–699. */
export function isReplyCode(code: number): boolean {
  return Number.isInteger(code) && code >= 100 && code <= 699;
}

/** Classifies any FTP reply by its digits; `null` for a number that is no FTP reply. */
export function classifyReply(code: number): ReplyCodeInfo | null {
  if (!isReplyCode(code)) return null;
  const replyClass = Math.floor(code / 100) as ReplyClass;
  const group = (Math.floor(code / 10) % 10) as ReplyGroup;
  return {
    code,
    replyClass,
    className: REPLY_CLASSES[replyClass].name,
    group,
    groupName: REPLY_GROUPS[group].name,
    meanings: REPLY_CODES.get(code) ?? [],
  };
}

/**
 * What a reply says about the command it answers: 2xx done, 4xx/5xx failed, 1xx/3xx not
 * finished yet. A 6xx reply hides its real class inside the protected payload, so it
 * cannot be judged and stays pending.
 */
export function outcomeOfReply(code: number): Outcome {
  const c = Math.floor(code / 100);
  if (c === 2) return 'ok';
  if (c === 4 || c === 5) return 'fail';
  return 'pending';
}
