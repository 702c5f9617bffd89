import type { Page } from 'playwright-core';
import { Room } from '@xsync/core';
import { XmppProvider } from '@xsync/core/yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Fixture } from '../support/fixtures.js';
import {
  type OpenedBoard,
  SCREENSHOTS,
  WhiteboardPages,
  dragOn as drag,
  shapesOn as shapes,
  waitForShapesOn as waitForShapes,
} from '../support/whiteboardPages.js';

const fixture = new Fixture('whiteboard');
const boards = new WhiteboardPages();
const providers: XmppProvider[] = [];

beforeAll(() => boards.start());
afterAll(async () => {
  for (const provider of providers.splice(0)) provider.destroy();
  await boards.close();
  await fixture.close();
});

/** A new browser context showing one <xmpp-whiteboard> in `channel`, as its own user. */
const openBoard = (channel: string, name: string): Promise<OpenedBoard> => boards.open(channel, name);

describe('<xmpp-whiteboard> in Chromium', () => {
  it('one page draws, the other shows the same shapes, and a stroke grows while the pen is down', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const [one, two] = [await openBoard(channel, 'Ada'), await openBoard(channel, 'Bo')];
    await drag(
      one.page,
      'pen',
      [
        [100, 100],
        [160, 140],
        [220, 120],
        [260, 180],
      ],
      false,
    );
    // Still drawing: the other page already has the stroke, and it grows.
    await two.page.waitForFunction(() => {
      const [stroke] = document.querySelector('xmpp-whiteboard')!.board!.all();
      return stroke !== undefined && (stroke.points as number[]).length > 3 * 3;
    });
    await one.page.mouse.move(500, 300, { steps: 6 });
    await one.page.mouse.up();
    await drag(one.page, 'rect', [
      [300, 300],
      [420, 380],
    ]);
    await drag(one.page, 'arrow', [
      [450, 100],
      [600, 220],
    ]);
    await waitForShapes(two.page, 3);
    const mine = await shapes(one.page);
    await expect.poll(() => shapes(two.page), { timeout: 20_000 }).toEqual(mine);
    expect(mine.map((shape) => shape.type)).toEqual(['stroke', 'rect', 'arrow']);
    // Presence: each sees the other by name.
    await two.page.locator('xmpp-whiteboard [part="presence"] li', { hasText: 'Ada' }).waitFor();
    await one.page.screenshot({ path: `${SCREENSHOTS}/whiteboard-drawn.png` });
    await two.page.screenshot({ path: `${SCREENSHOTS}/whiteboard-remote.png` });
    expect([...one.errors, ...two.errors]).toEqual([]);
  });

  it("undo takes back only this user's shapes; a reloaded page shows the board", async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const [one, two] = [await openBoard(channel, 'Ada'), await openBoard(channel, 'Bo')];
    await drag(one.page, 'ellipse', [
      [100, 100],
      [200, 180],
    ]);
    await waitForShapes(two.page, 1);
    await drag(two.page, 'rect', [
      [300, 100],
      [400, 180],
    ]);
    await waitForShapes(one.page, 2);
    await one.page.evaluate(() => document.querySelector('xmpp-whiteboard')!.undo());
    await waitForShapes(two.page, 1);
    expect((await shapes(two.page)).map((shape) => shape.type)).toEqual(['rect']);
    await one.page.evaluate(() => document.querySelector('xmpp-whiteboard')!.redo());
    await waitForShapes(two.page, 2);
    await two.reload();
    // The reloaded page reads the archive; on a room with a live lane the last edits reach the
    // archive with the next commit (at most 300 ms later) and then arrive too.
    const board = await shapes(one.page);
    await expect.poll(() => shapes(two.page)).toEqual(board);
  });

  it('selects, moves and deletes with the keyboard; exports SVG and PNG', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const one = await openBoard(channel, 'Ada');
    await drag(one.page, 'rect', [
      [100, 100],
      [200, 160],
    ]);
    await drag(one.page, 'pen', [
      [300, 300],
      [340, 320],
      [380, 300],
    ]);
    await drag(one.page, 'select', [
      [150, 102],
      [250, 202],
    ]);
    const [rect] = await shapes(one.page);
    expect(rect).toMatchObject({ type: 'rect', x: 200, y: 200 });
    const svg = await one.page.evaluate(() => document.querySelector('xmpp-whiteboard')!.exportSvg());
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('<rect x="200" y="200"');
    expect(svg).toContain('<path d="M');
    const png = await one.page.evaluate(async () => {
      const blob = await document.querySelector('xmpp-whiteboard')!.exportPng();
      return [...new Uint8Array(await blob.arrayBuffer()).slice(0, 4)];
    });
    expect(png).toEqual([0x89, 0x50, 0x4e, 0x47]);
    await one.page.keyboard.press('Delete');
    await waitForShapes(one.page, 1);
    await one.page.keyboard.press('e');
    expect(await one.page.evaluate(() => document.querySelector('xmpp-whiteboard')!.tool)).toBe('eraser');
    await drag(one.page, 'eraser', [
      [290, 310],
      [390, 300],
    ]);
    await waitForShapes(one.page, 0);
    // Read-only: dragging pans instead of drawing.
    await one.page.evaluate(() => document.querySelector('xmpp-whiteboard')!.setAttribute('readonly', ''));
    await drag(one.page, 'pen', [
      [100, 100],
      [200, 200],
    ]);
    expect(await one.page.evaluate(() => document.querySelector('xmpp-whiteboard')!.board!.size)).toBe(0);
    expect(await one.page.locator('xmpp-whiteboard button[data-tool="pen"]').isDisabled()).toBe(true);
  });

  it("selects and erases where a shape's ink is, not anywhere in the box around it", async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const one = await openBoard(channel, 'Ada');
    const board = () =>
      one.page.evaluate(() =>
        document
          .querySelector('xmpp-whiteboard')!
          .board!.all()
          .map((shape) => shape.type),
      );
    const selected = () => one.page.evaluate(() => [...document.querySelector('xmpp-whiteboard')!.selection].length);
    await drag(one.page, 'line', [
      [100, 100],
      [300, 300],
    ]);
    await drag(one.page, 'ellipse', [
      [400, 100],
      [600, 260],
    ]);
    await waitForShapes(one.page, 2);
    // A click in the empty corner of the diagonal line's box selects nothing; one on the line does.
    await drag(one.page, 'select', [[280, 120]]);
    expect(await selected()).toBe(0);
    await drag(one.page, 'select', [[201, 199]]);
    expect(await selected()).toBe(1);
    // Rubbing the empty middle of an unfilled ellipse leaves it; crossing its outline erases it.
    await drag(one.page, 'eraser', [
      [470, 170],
      [530, 190],
      [480, 200],
    ]);
    expect(await board()).toEqual(['line', 'ellipse']);
    await drag(one.page, 'eraser', [
      [500, 120],
      [500, 100],
      [500, 80],
    ]);
    await waitForShapes(one.page, 1);
    expect(await board()).toEqual(['line']);
    expect(one.errors).toEqual([]);
  });

  it('a colour or width chosen with shapes selected restyles them; clearing asks first and undoes', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const [one, two] = [await openBoard(channel, 'Ada'), await openBoard(channel, 'Grace')];
    await drag(one.page, 'rect', [
      [100, 100],
      [200, 160],
    ]);
    await drag(one.page, 'line', [
      [300, 100],
      [400, 200],
    ]);
    await waitForShapes(two.page, 2);
    await one.page.keyboard.press('Control+a');
    await one.page.locator('xmpp-whiteboard button[aria-label="Colour #b3261e"]').click();
    await one.page.locator('xmpp-whiteboard button[aria-label="Width: Extra bold"]').click();
    await expect
      .poll(async () => (await shapes(two.page)).map(({ color, width }) => `${color} ${width}`))
      .toEqual(['#b3261e 8', '#b3261e 8']);
    // One undo step takes back each change of style.
    await one.page.evaluate(() => document.querySelector('xmpp-whiteboard')!.undo());
    await expect.poll(async () => (await shapes(two.page)).map(({ width }) => width)).toEqual([2, 2]);

    const clear = one.page.locator('xmpp-whiteboard button', { hasText: 'Clear' }).first();
    await clear.click();
    await one.page.locator('xmpp-whiteboard [role="alertdialog"]', { hasText: 'for everyone' }).waitFor();
    await one.page.locator('xmpp-whiteboard button', { hasText: 'Cancel' }).click();
    expect(await shapes(one.page)).toHaveLength(2);
    await clear.click();
    await one.page.locator('xmpp-whiteboard button', { hasText: 'Clear board' }).click();
    await waitForShapes(two.page, 0);
    await one.page.evaluate(() => document.querySelector('xmpp-whiteboard')!.undo());
    await waitForShapes(two.page, 2);
    expect([...one.errors, ...two.errors]).toEqual([]);
  });

  it('resizes shapes drawn from points from their handle: a stroke, a line', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const one = await openBoard(channel, 'Ada');
    const boundsOf = (index: number) =>
      one.page.evaluate((i) => {
        const board = document.querySelector('xmpp-whiteboard')!;
        const shape = board.board!.all()[i]!;
        return board.registry.get(shape.type)!.bounds(shape);
      }, index);
    await drag(one.page, 'pen', [
      [100, 100],
      [140, 140],
      [180, 120],
    ]);
    await drag(one.page, 'line', [
      [300, 100],
      [360, 160],
    ]);
    await waitForShapes(one.page, 2);
    const presses: Array<[number, [number, number]]> = [
      [0, [140, 140]],
      [1, [330, 130]],
    ];
    for (const [index, click] of presses) {
      const before = await boundsOf(index);
      await drag(one.page, 'select', [click]);
      const corner: [number, number] = [before.x + before.w, before.y + before.h];
      await drag(one.page, 'select', [corner, [corner[0] + 60, corner[1] + 40]]);
      const after = await boundsOf(index);
      expect(after.x).toBeCloseTo(before.x, 0);
      expect(after.y).toBeCloseTo(before.y, 0);
      expect(after.w).toBeCloseTo(before.w + 60, 0);
      expect(after.h).toBeCloseTo(before.h + 40, 0);
    }
    expect(one.errors).toEqual([]);
  });

  it('writes several lines in place, edits text with a double click, and wraps a note inside it', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const [one, two] = [await openBoard(channel, 'Ada'), await openBoard(channel, 'Bo')];
    const box = (await one.page.locator('xmpp-whiteboard svg[part="canvas"]').boundingBox())!;
    await one.page.evaluate(() => (document.querySelector('xmpp-whiteboard')!.tool = 'text'));
    await one.page.mouse.click(box.x + 100, box.y + 100);
    await one.page.keyboard.type('First line');
    await one.page.keyboard.press('Enter');
    await one.page.keyboard.type('second line');
    await one.page.keyboard.press('Control+Enter');
    await waitForShapes(two.page, 1);
    expect((await shapes(two.page))[0]).toMatchObject({ type: 'text', text: 'First line\nsecond line' });
    expect(await two.page.locator('xmpp-whiteboard svg.layer text tspan').count()).toBe(2);

    // A double click opens the text where it is, with what it says.
    await one.page.evaluate(() => (document.querySelector('xmpp-whiteboard')!.tool = 'select'));
    await one.page.mouse.dblclick(box.x + 130, box.y + 110);
    const editor = one.page.locator('xmpp-whiteboard textarea.text-input');
    expect(await editor.inputValue()).toBe('First line\nsecond line');
    await one.page.locator('xmpp-whiteboard').screenshot({ path: `${SCREENSHOTS}/whiteboard-text-editing.png` });
    await editor.fill('Edited');
    await editor.press('Escape');
    await expect.poll(async () => (await shapes(two.page))[0]?.text).toBe('Edited');

    // A note's long text wraps inside the note, on every page and in the export.
    await one.page.locator('xmpp-whiteboard button[data-tool="sticky-note"]').click();
    await one.page.mouse.click(box.x + 400, box.y + 100);
    await one.page.keyboard.type('Ship the whiteboard once the toolbar fits on one row of a laptop screen');
    await one.page.keyboard.press('Escape');
    await waitForShapes(two.page, 2);
    const note = await two.page.evaluate(() => {
      const text = document.querySelector('xmpp-whiteboard')!.shadowRoot!.querySelector('svg.layer g > g text')!;
      const plain = ({ x, y, width, height }: DOMRect) => ({ x, y, width, height });
      const square = plain(text.parentElement!.querySelector('rect')!.getBBox());
      const label = plain((text as SVGTextElement).getBBox());
      return { lines: text.querySelectorAll('tspan').length, square, label };
    });
    expect(note.lines).toBeGreaterThan(2);
    expect(note.label.x + note.label.width).toBeLessThanOrEqual(note.square.x + note.square.width);
    expect(note.label.y + note.label.height).toBeLessThanOrEqual(note.square.y + note.square.height);
    expect(await one.page.evaluate(() => document.querySelector('xmpp-whiteboard')!.exportSvg())).toContain('<tspan');
    expect([...one.errors, ...two.errors]).toEqual([]);
  });

  it('says how to begin on an empty board, shows its zoom, and fits everything in view', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const one = await openBoard(channel, 'Ada');
    const hint = one.page.locator('xmpp-whiteboard .empty-hint');
    const zoom = one.page.locator('xmpp-whiteboard button.zoom');
    expect(await hint.textContent()).toContain('Draw with the pen');
    expect((await zoom.textContent())!.trim()).toBe('100%');
    await drag(one.page, 'rect', [
      [50, 50],
      [100, 100],
    ]);
    await hint.waitFor({ state: 'detached' });
    // A shape far outside the view, as a remote peer might add.
    await one.page.evaluate(() =>
      document
        .querySelector('xmpp-whiteboard')!
        .board!.add({ type: 'rect', x: 3000, y: 2000, w: 100, h: 100, color: '#000', width: 2 }),
    );
    await one.page.locator('xmpp-whiteboard').getByRole('button', { name: 'Zoom in' }).click();
    expect((await zoom.textContent())!.trim()).toBe('125%');
    await one.page.locator('xmpp-whiteboard button', { hasText: 'Fit' }).click();
    const fitted = Number((await zoom.textContent())!.trim().replace('%', ''));
    expect(fitted).toBeLessThan(100);
    // Both rectangles are now on screen.
    const onScreen = await one.page.evaluate(() => {
      const board = document.querySelector('xmpp-whiteboard')!;
      const canvas = board.shadowRoot!.querySelector('svg[part="canvas"]')!.getBoundingClientRect();
      return [...board.shadowRoot!.querySelectorAll('svg.layer rect')].every((rect) => {
        const box = rect.getBoundingClientRect();
        return (
          box.left >= canvas.left && box.right <= canvas.right && box.top >= canvas.top && box.bottom <= canvas.bottom
        );
      });
    });
    expect(onScreen).toBe(true);
    await zoom.click();
    expect((await zoom.textContent())!.trim()).toBe('100%');
    expect(one.errors).toEqual([]);
  });

  it('duplicates, copies and pastes between boards, and changes what is on top, from the keyboard', async () => {
    const [first, second] = [
      await fixture.createChannel(await fixture.connect()),
      await fixture.createChannel(await fixture.connect()),
    ];
    const [one, other] = [await openBoard(first, 'Ada'), await openBoard(second, 'Ada')];
    await drag(one.page, 'rect', [
      [100, 100],
      [200, 160],
    ]);
    await drag(one.page, 'ellipse', [
      [150, 120],
      [260, 200],
    ]);
    await waitForShapes(one.page, 2);
    const types = (page: Page) => shapes(page).then((all) => all.sort((a, b) => a.z - b.z).map((shape) => shape.type));
    await drag(one.page, 'select', [[100, 130]]);
    await one.page.keyboard.press('Control+d');
    await waitForShapes(one.page, 3);
    expect(await types(one.page)).toEqual(['rect', 'ellipse', 'rect']);
    // The copy is selected: send it to the back, then bring it to the front again.
    await one.page.keyboard.press('Control+BracketLeft');
    await expect.poll(() => types(one.page)).toEqual(['rect', 'rect', 'ellipse']);
    await one.page.keyboard.press('Control+BracketRight');
    await expect.poll(() => types(one.page)).toEqual(['rect', 'ellipse', 'rect']);
    // Copy all, paste on another board: the browser's clipboard carries them as text.
    await one.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await one.page.keyboard.press('Control+a');
    await one.page.keyboard.press('Control+c');
    const copied = await one.page.evaluate(() => navigator.clipboard.readText());
    expect(copied.startsWith('xsync-whiteboard-shapes:')).toBe(true);
    await other.page.evaluate((text) => {
      const board = document.querySelector('xmpp-whiteboard')!;
      const data = new DataTransfer();
      data.setData('text/plain', text);
      board.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, composed: true }));
    }, copied);
    await waitForShapes(other.page, 3);
    expect((await types(other.page)).sort()).toEqual(['ellipse', 'rect', 'rect']);
    expect(await other.page.evaluate(() => document.querySelector('xmpp-whiteboard')!.selection.size)).toBe(3);
    expect([...one.errors, ...other.errors]).toEqual([]);
  });

  it('jumps to where someone else is, from their name', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const [one, two] = [await openBoard(channel, 'Ada'), await openBoard(channel, 'Bo')];
    // Bo works far away from the origin, where Ada's view does not reach.
    await two.page.evaluate(() => document.querySelector('xmpp-whiteboard')!.panBy(3000, 2000));
    const canvas = (await two.page.locator('xmpp-whiteboard svg[part="canvas"]').boundingBox())!;
    await two.page.mouse.move(canvas.x + 100, canvas.y + 100);
    await two.page.mouse.move(canvas.x + 120, canvas.y + 110, { steps: 4 });
    const bo = one.page.locator('xmpp-whiteboard button.person', { hasText: 'Bo' });
    // Ada's page knows where Bo's pointer came to rest.
    const boPointer = () =>
      one.page.evaluate(() => {
        const states = [...document.querySelector('xmpp-whiteboard')!.awareness!.getStates().values()];
        const state = states.find((s) => (s as { user?: { name?: string } }).user?.name === 'Bo');
        return (state as { pointer?: { x: number; y: number } } | undefined)?.pointer;
      });
    await expect.poll(boPointer).toEqual({ x: 3120, y: 2110 });
    const cursor = one.page.locator('xmpp-whiteboard g.cursor path');
    const mine = (await one.page.locator('xmpp-whiteboard svg[part="canvas"]').boundingBox())!;
    const outside = await cursor.boundingBox();
    expect(outside === null || outside.x > mine.x + mine.width || outside.y > mine.y + mine.height).toBe(true);
    await bo.click();
    const seen = (await cursor.boundingBox())!;
    expect(Math.abs(seen.x - (mine.x + mine.width / 2))).toBeLessThan(4);
    expect(Math.abs(seen.y - (mine.y + mine.height / 2))).toBeLessThan(4);
    expect([...one.errors, ...two.errors]).toEqual([]);
  });

  it('a plugin adds a sticky-note tool and shape that travel like the built-in ones', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const [one, two] = [await openBoard(channel, 'Ada'), await openBoard(channel, 'Bo')];
    await one.page.locator('xmpp-whiteboard button[data-tool="sticky-note"]').click();
    const box = (await one.page.locator('xmpp-whiteboard svg[part="canvas"]').boundingBox())!;
    await one.page.mouse.click(box.x + 200, box.y + 200);
    await one.page.keyboard.type('Ship it');
    await one.page.keyboard.press('Escape');
    await waitForShapes(two.page, 1);
    expect(await shapes(two.page)).toEqual([expect.objectContaining({ type: 'sticky-note', text: 'Ship it' })]);
    expect(await two.page.locator('xmpp-whiteboard svg.layer text').textContent()).toBe('Ship it');
  });

  it('clamps or drops absurd shapes from the network and stays usable', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const one = await openBoard(channel, 'Ada');
    const hostile = new XmppProvider(new Room(await fixture.connect(), { jid: channel }), new Y.Doc(), {
      doc: 'whiteboard:board',
      connect: false,
    });
    providers.push(hostile);
    await hostile.connect();
    const write = (id: string, fields: Record<string, unknown>) => {
      const map = new Y.Map<unknown>();
      for (const [key, value] of Object.entries(fields)) map.set(key, value);
      hostile.doc.getMap('shapes').set(id, map);
    };
    hostile.doc.transact(() => {
      write('far', {
        type: 'rect',
        x: 1e300,
        y: -Infinity,
        w: 1e12,
        h: -5,
        z: 1,
        color: 'url(javascript:alert(1))',
        width: 1e9,
      });
      write('unknown', { type: 'iframe', x: 0, y: 0, z: 2, src: 'javascript:alert(1)' });
      write('long', { type: 'stroke', x: 0, y: 0, z: 3, points: Array.from({ length: 90_000 }, (_, i) => i % 7) });
      write('script', { type: 'image', x: 0, y: 0, w: 10, h: 10, z: 4, href: 'javascript:alert(1)' });
      write('nan', { type: 'line', x: Number.NaN, y: 'x', x2: {}, y2: [], z: 5 });
    });
    await waitForShapes(one.page, 3);
    const seen = await shapes(one.page);
    expect(seen.map((shape) => shape.id)).toEqual(['far', 'long', 'nan']);
    expect(seen[0]).toMatchObject({ x: 1_000_000, y: 0, w: 100_000, h: 0, color: '#1d1d1f', width: 100 });
    expect((seen[1]!.points as number[]).length).toBe(15_000);
    expect(seen[2]).toMatchObject({ x: 0, y: 0, x2: 0, y2: 0 });
    // Still drawing, and no error reached the page.
    await drag(one.page, 'rect', [
      [100, 100],
      [200, 200],
    ]);
    await waitForShapes(one.page, 4);
    expect(one.errors).toEqual([]);
  });

  it('[WB3] uploads images through XEP-0363, or keeps small ones inline when told to; PNG and the saved SVG include them', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const [one, two] = [await openBoard(channel, 'Ada'), await openBoard(channel, 'Bo')];
    // A 700x700 image of noise: far over the inline limit.
    const href = await one.page.evaluate(async () => {
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 700;
      const context = canvas.getContext('2d')!;
      const pixels = context.createImageData(700, 700);
      for (let i = 0; i < pixels.data.length; i++) pixels.data[i] = (i * 2654435761) % 256;
      context.putImageData(pixels, 0, 0);
      const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
      const board = document.querySelector('xmpp-whiteboard')!;
      await board.addImage(new File([blob], 'noise.png', { type: 'image/png' }), { x: 300, y: 200 });
      return board.board!.all()[0]!.href as string;
    });
    expect(href).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/upload\/.+\/noise\.png$/);
    await waitForShapes(two.page, 1);
    expect(await two.page.locator('xmpp-whiteboard svg.layer image').getAttribute('href')).toBe(href);
    expect((await fetch(href)).status).toBe(200);
    const pngBytes = await one.page.evaluate(
      async () => (await document.querySelector('xmpp-whiteboard')!.exportPng()).size,
    );
    expect(pngBytes).toBeGreaterThan(100_000);
    // The SVG links the upload; the file the SVG button saves embeds it, and stands alone.
    const svgs = await one.page.evaluate(async () => {
      const board = document.querySelector('xmpp-whiteboard')!;
      return { linked: board.exportSvg(), standalone: await board.exportStandaloneSvg() };
    });
    expect(svgs.linked).toContain(`href="${href}"`);
    expect(svgs.standalone).not.toContain('href="http');
    const embedded = /<image [^>]*href="data:image\/png;base64,([A-Za-z0-9+/=]+)"/.exec(svgs.standalone)?.[1];
    const uploaded = Buffer.from(await (await fetch(href)).arrayBuffer());
    expect(embedded && Buffer.from(embedded, 'base64').equals(uploaded)).toBe(true);
    const inline = await two.page.evaluate(async () => {
      const board = document.querySelector('xmpp-whiteboard')!;
      board.setAttribute('inline-images', '');
      const canvas = Object.assign(document.createElement('canvas'), { width: 20, height: 20 });
      const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
      await board.addImage(blob, { x: 10, y: 10 });
      return board.board!.all().at(-1)!.href as string;
    });
    expect(inline).toMatch(/^data:image\/png;base64,/);
    await waitForShapes(one.page, 2);
    await one.page.screenshot({ path: `${SCREENSHOTS}/whiteboard-image.png` });
  });

  it('draws with a pen (pressure reaches the stroke) and with touch', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const one = await openBoard(channel, 'Ada');
    const box = (await one.page.locator('xmpp-whiteboard svg[part="canvas"]').boundingBox())!;
    const cdp = await one.page.context().newCDPSession(one.page);
    // A pen pressed hard: Chromium turns these into pointer events with pointerType 'pen'.
    const pen = (type: 'mousePressed' | 'mouseMoved' | 'mouseReleased', x: number, y: number) =>
      cdp.send('Input.dispatchMouseEvent', {
        type,
        x: box.x + x,
        y: box.y + y,
        button: 'left',
        buttons: type === 'mouseReleased' ? 0 : 1,
        clickCount: 1,
        pointerType: 'pen',
        force: 0.9,
      });
    await pen('mousePressed', 100, 100);
    for (let i = 1; i <= 5; i++) await pen('mouseMoved', 100 + i * 20, 100 + i * 10);
    await pen('mouseReleased', 200, 150);
    await waitForShapes(one.page, 1);
    const [stroke] = await shapes(one.page);
    const pressures = (stroke!.points as number[]).filter((_, i) => i % 3 === 2);
    expect(pressures.length).toBeGreaterThan(3);
    expect(pressures.every((pressure) => Math.abs(pressure - 0.9) < 0.01)).toBe(true);
    // A finger drags across the board.
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', points: Array<[number, number]>) =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints: points.map(([x, y]) => ({ x: box.x + x, y: box.y + y, id: 1 })),
      });
    await touch('touchStart', [[300, 300]]);
    for (let i = 1; i <= 5; i++) await touch('touchMove', [[300 + i * 15, 300 - i * 8]]);
    await touch('touchEnd', []);
    await waitForShapes(one.page, 2);
    const [, swiped] = await shapes(one.page);
    expect(swiped).toMatchObject({ type: 'stroke' });
    expect((swiped!.points as number[]).length).toBeGreaterThan(3 * 3);
  });
});
