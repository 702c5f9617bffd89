// Client hosts (clientHost.mjs): child processes holding a workload's clients.
//
//   const hosts = await openHosts(system, room, [1, 5, 5]);   // 3 processes: 1, 5 and 5 clients
//   await hosts.call(0, 'burst', {...}); await hosts.all('digests');
//   await hosts.close();
import { fork } from 'node:child_process';

const HOST_SCRIPT = new URL('./clientHost.mjs', import.meta.url).pathname;

/** One host per entry of `layout`, holding that many clients of `room`, all connected and synced. */
export async function openHosts(system, room, layout) {
  await system.prepare(room);
  const hosts = layout.map(() => startHost());
  const group = {
    count: hosts.length,
    /** Runs a command on host `index`. */
    call: (index, command, args) => hosts[index].call(command, args),
    /** Runs a command on every host at once; results in host order. */
    all: (command, args) => Promise.all(hosts.map((host) => host.call(command, args))),
    /** Closes every client, then ends the processes. */
    async close() {
      await Promise.allSettled(hosts.map((host) => host.call('close')));
      await Promise.all(hosts.map((host) => host.end()));
    },
  };
  try {
    for (const [index, count] of layout.entries()) {
      await group.call(index, 'open', { endpoint: system.endpoint, room, count });
    }
  } catch (error) {
    await group.close();
    throw error;
  }
  return group;
}

/** `XSYNC_BENCH_HOST_PROFILES=DIR`: each client host writes a V8 CPU profile into DIR when it exits. */
const PROFILE_DIR = process.env.XSYNC_BENCH_HOST_PROFILES;

function startHost() {
  const child = fork(HOST_SCRIPT, {
    execArgv: PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map();
  let nextId = 0;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.on('message', ({ id, result, error }) => {
    const call = pending.get(id);
    pending.delete(id);
    if (error === undefined) call?.resolve(result);
    else call?.reject(new Error(`client host: ${error}`));
  });
  child.once('exit', (code) => {
    for (const call of pending.values()) call.reject(new Error(`client host exited (${code})`));
    pending.clear();
  });
  return {
    call(command, args) {
      if (!child.connected) return Promise.reject(new Error('client host is gone'));
      return new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        child.send({ id, command, args });
      });
    },
    async end() {
      if (child.connected) child.disconnect();
      await exited;
    },
  };
}
