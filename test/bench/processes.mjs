// CPU time and peak memory of server processes, from /proc (Linux), for a process and all
// its descendants (ejabberd's Erlang VM runs under a wrapper, PostgreSQL forks a backend per
// connection).
import { readFileSync, readdirSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** The pid and the pids of all its descendants. */
export function processTree(root) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

/** CPU seconds (user + system) used so far by a process tree. */
export function cpuSeconds(pid) {
  let ticks = 0;
  for (const member of processTree(pid)) {
    try {
      const fields = readFileSync(`/proc/${member}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks / TICKS_PER_SECOND;
}

/**
 * Memory now, in MiB, of a process tree: the sum of proportional set sizes (PSS), so pages
 * the processes share (PostgreSQL's shared buffers, mapped libraries) count once, not once
 * per process as resident sizes would.
 */
export function memoryMiB(pid) {
  let kib = 0;
  for (const member of processTree(pid)) {
    try {
      const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${member}/smaps_rollup`, 'utf8'));
      kib += Number(match?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return Math.round((kib / 1024) * 10) / 10;
}

/**
 * Samples a process tree's memory (PSS) every `intervalMs` until stopped; `stop()` returns
 * the peak. (VmHWM is per process and counts start-up; the tree's peak during a run is what
 * a run costs.)
 */
export function watchPeakMemory(pid, intervalMs = 100) {
  let peak = memoryMiB(pid);
  const timer = setInterval(() => (peak = Math.max(peak, memoryMiB(pid))), intervalMs);
  return () => {
    clearInterval(timer);
    return Math.max(peak, memoryMiB(pid));
  };
}
