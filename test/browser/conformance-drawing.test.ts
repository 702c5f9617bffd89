import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fixture } from '../support/fixtures.js';
import { WhiteboardPages } from '../support/whiteboardPages.js';

// The drawing vectors (conformance/drawing.json, docs/protocol.md §15): a pen gesture made on
// an <xmpp-whiteboard> in Chromium, one animation frame at a time, must write the stroke as the
// vector says after each frame, and another participant must see it grow before the pen lifts.

interface DrawingVector {
  id: string;
  rules: string[];
  description: string;
  /** Pointer positions in CSS pixels of the board at zoom 1, per animation frame; the first presses. */
  frames: Array<Array<[number, number]>>;
  /** After each frame: the stroke's `points`, and the document writes the frame made. */
  expect: Array<{ points: number[] | null; writes: number }>;
  /** After the pen lifts: the stroke's `points`, and the writes the lift made. */
  lifted: { points: number[]; writes: number };
}

const vectors = (
  JSON.parse(readFileSync(new URL('../../conformance/drawing.json', import.meta.url), 'utf8')) as {
    vectors: DrawingVector[];
  }
).vectors;

const fixture = new Fixture('drawing');
const boards = new WhiteboardPages();

beforeAll(() => boards.start());
afterAll(async () => {
  await boards.close();
  await fixture.close();
});

/** The first stroke's points on the page's board, or null while there is none. */
const strokeOn = (page: import('playwright-core').Page) =>
  page.evaluate(() => {
    const stroke = document
      .querySelector('xmpp-whiteboard')!
      .board!.all()
      .find((shape) => shape.type === 'stroke');
    return stroke ? (stroke.points as number[]) : null;
  });

describe('drawing vectors', () => {
  it.each(vectors.map((vector) => [vector.id, vector] as const))(
    '%s',
    async (_, vector) => {
      const channel = await fixture.createChannel(await fixture.connect());
      const [drawer, observer] = [await boards.open(channel, 'Ada'), await boards.open(channel, 'Bo')];
      const { page } = drawer;
      // Animation frames run when the vector says: each step ends with one.
      await page.evaluate(() => {
        const queued = new Map<number, FrameRequestCallback>();
        let next = 1;
        window.requestAnimationFrame = (callback) => {
          queued.set(next, callback);
          return next++;
        };
        window.cancelAnimationFrame = (handle) => void queued.delete(handle);
        const board = document.querySelector('xmpp-whiteboard')!;
        board.tool = 'pen';
        const counts = { writes: 0 };
        board.board!.doc.on('update', () => counts.writes++);
        Object.assign(window, {
          xsyncFrame: () => {
            const callbacks = [...queued.values()];
            queued.clear();
            for (const callback of callbacks) callback(performance.now());
            const writes = counts.writes;
            counts.writes = 0;
            return writes;
          },
        });
      });
      const frame = () => page.evaluate(() => (window as unknown as { xsyncFrame: () => number }).xsyncFrame());
      const box = (await page.locator('xmpp-whiteboard svg[part="canvas"]').boundingBox())!;
      for (const [i, positions] of vector.frames.entries()) {
        for (const [j, [x, y]] of positions.entries()) {
          await page.mouse.move(box.x + x, box.y + y);
          if (i === 0 && j === 0) await page.mouse.down();
        }
        const writes = await frame();
        expect({ points: await strokeOn(page), writes }, `${vector.id} frame ${i}`).toEqual(vector.expect[i]);
      }
      // The other participant sees the stroke as it stands, before the pen lifts.
      const drawn = vector.expect.at(-1)!.points;
      await expect.poll(() => strokeOn(observer.page)).toEqual(drawn);
      await page.mouse.up();
      const writes = await frame();
      expect({ points: await strokeOn(page), writes }, `${vector.id} lifted`).toEqual(vector.lifted);
      expect([...drawer.errors, ...observer.errors]).toEqual([]);
    },
    60_000,
  );
});
