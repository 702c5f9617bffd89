import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { freePort } from '@xsync/servers';

// For tests of the processes they start: the environment to start them in, the process table
// read from /proc (to see what is left running), and the ports those processes hold.

/** Whether a process exists and is not a zombie waiting to be reaped. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2]!.startsWith('Z');
  } catch {
    return false;
  }
}

export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  state: string;
  /** Start time in clock ticks since boot: tells a process from a later one with its pid. */
  start: string;
  command: string;
}

/** Every process of the machine, read from /proc. */
export function processes(): ProcessInfo[] {
  const list: ProcessInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    let command: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      command = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the command's closing parenthesis: state ppid pgrp session … starttime (22nd).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    list.push({
      pid: Number(name),
      state: fields[0]!,
      ppid: Number(fields[1]),
      pgid: Number(fields[2]),
      sid: Number(fields[3]),
      start: fields[19]!,
      command,
    });
  }
  return list;
}

/** Running (not zombie) processes among `table` matching `filter`. */
export const live = (table: ProcessInfo[], filter: (info: ProcessInfo) => boolean): ProcessInfo[] =>
  table.filter((info) => !'ZX'.includes(info.state) && filter(info));

/** The descendants of `pid`. */
export function descendants(pid: number, table = processes()): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  const parents = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const info of table) {
      if (parents.has(info.ppid) && !parents.has(info.pid)) {
        parents.add(info.pid);
        found.push(info);
        grew = true;
      }
    }
  }
  return found;
}

/** Which of these processes still run (same pid and start time, not a zombie). */
export function stillRunning(recorded: ProcessInfo[]): ProcessInfo[] {
  const table = processes();
  return recorded.filter((old) => live(table, (info) => info.pid === old.pid && info.start === old.start).length > 0);
}

/** The environment of a user's shell: without the variables vitest and npm set for this run. */
export function userEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(VITEST|TINYPOOL|npm_|XSYNC_)|^NODE_ENV$/.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Whether a TCP port on 127.0.0.1 can be listened on. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** `count` free ports, no two alike (`freePort` alone may hand out one port twice). */
export async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}
