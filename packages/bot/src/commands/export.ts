import { writeFile } from 'node:fs/promises';
import { createRegistry } from '@xsync/core';
import { type Options, requiredOption } from '../config.js';
import { type ExportFormat, exportDocument } from '../exportDocument.js';
import { parseHistoryPoint, stateAt } from '../timeTravel.js';
import { withSession } from './session.js';

const FORMATS: ExportFormat[] = ['json', 'text', 'xml', 'svg'];

/** `xsync-bot export`: a channel's document as it was at an archive id or a time. */
export async function exportCommand(options: Options): Promise<void> {
  requiredOption(options, 'channel');
  const format = ((options.format as string | undefined) ?? 'json') as ExportFormat;
  if (!FORMATS.includes(format)) throw new Error(`--format must be one of ${FORMATS.join(', ')}`);
  const at = options.at as string | undefined;
  const output = await withSession(options, async ({ channel }) => {
    const point = at === undefined ? undefined : parseHistoryPoint(at);
    const { state } = await stateAt(channel!, createRegistry(), point);
    return exportDocument(state, {
      format,
      ...(options.doc !== undefined && { doc: options.doc as string }),
      ...(options.type !== undefined && { type: options.type as string }),
      ...(options.root !== undefined && { root: options.root as string }),
    });
  });
  if (options.out !== undefined) await writeFile(options.out as string, output);
  else process.stdout.write(output);
}
