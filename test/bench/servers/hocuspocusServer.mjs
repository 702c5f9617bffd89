#!/usr/bin/env node
// Hocuspocus (@hocuspocus/server, no extensions: in-memory documents) on 127.0.0.1 and a free
// port, in a process of its own so the benchmarks can measure its CPU and memory. Prints
// {"port":N} when listening; exits when stdin closes.
import { Server } from '@hocuspocus/server';

const server = new Server({ port: 0, address: '127.0.0.1', quiet: true });
await server.listen();
console.log(JSON.stringify({ port: server.httpServer.address().port }));
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
