import { createRegistry } from '@xsync/core';
import { type Options, requiredOption } from '../config.js';
import { parseHistoryPoint, replaySteps } from '../timeTravel.js';
import { withSession } from './session.js';

/** `xsync-bot replay`: every step of a channel's history, who changed what and when. */
export async function replayCommand(options: Options): Promise<void> {
  requiredOption(options, 'channel');
  const to = options.to === undefined ? undefined : parseHistoryPoint(options.to as string);
  await withSession(options, async ({ channel }) => {
    const steps = replaySteps(channel!, createRegistry(), {
      ...(options.from !== undefined && { from: options.from as string }),
      ...(to !== undefined && { to }),
    });
    for await (const step of steps) {
      if (options.json) {
        process.stdout.write(`${JSON.stringify(step)}\n`);
        continue;
      }
      const who = step.sender.jid ?? step.sender.nick ?? step.sender.id;
      const where = step.doc === undefined ? step.type : `${step.type} doc=${step.doc}`;
      process.stdout.write(`${step.time ?? '-'}  ${step.archiveId}  ${who}  ${where}\n`);
      for (const change of step.changes) process.stdout.write(`    ${change}\n`);
    }
  });
}
