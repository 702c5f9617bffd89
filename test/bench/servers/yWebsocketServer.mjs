#!/usr/bin/env node
// y-websocket's reference server (@y/websocket-server, the wiring of its server.js, no
// persistence) on 127.0.0.1 and a free port, in a process of its own so the benchmarks can
// measure its CPU and memory. Prints {"port":N} when listening; exits when stdin closes.
import { createServer } from 'node:http';
import { setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ noServer: true });
wss.on('connection', (ws, request) => setupWSConnection(ws, request));
const server = createServer((_request, response) => response.end('okay'));
server.on('upgrade', (request, socket, head) =>
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request)),
);
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
