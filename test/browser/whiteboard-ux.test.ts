import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fixture } from '../support/fixtures.js';
import { SCREENSHOTS, WhiteboardPages, dragOn, shapesOn, waitForShapesOn } from '../support/whiteboardPages.js';

// The whiteboard as people who know Excalidraw and tldraw use it: the properties panel,
// turning, snapping, following, the toolbar's size, and the status in words.

const fixture = new Fixture('whiteboard-ux');
const boards = new WhiteboardPages();

beforeAll(() => boards.start());
afterAll(async () => {
  await boards.close();
  await fixture.close();
});

const board = (page: Page) => page.locator('xmpp-whiteboard');
const panel = (page: Page) => page.locator('xmpp-whiteboard [part="properties"]');

/** Where a canvas point is on the page. */
async function onCanvas(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = (await page.locator('xmpp-whiteboard svg[part="canvas"]').boundingBox())!;
  return { x: box.x + x, y: box.y + y };
}

describe('<xmpp-whiteboard> as Excalidraw and tldraw users expect it', () => {
  it('styles the next shape and the selection from the properties panel: fill, line, font size, opacity', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const [one, two] = [await boards.open(channel, 'Ada'), await boards.open(channel, 'Bo')];
    await one.page.evaluate(() => (document.querySelector('xmpp-whiteboard')!.tool = 'rect'));
    expect(await panel(one.page).getAttribute('aria-label')).toBe('Style of the next shape');
    await panel(one.page).getByRole('button', { name: 'Fill #a5d8ff' }).click();
    await panel(one.page).getByRole('button', { name: 'Line: Dashed' }).click();
    await panel(one.page).getByRole('button', { name: 'Width: Bold' }).click();
    await dragOn(one.page, 'rect', [
      [100, 100],
      [260, 200],
    ]);
    await expect
      .poll(async () => (await shapesOn(two.page))[0])
      .toMatchObject({ type: 'rect', fill: '#a5d8ff', dash: 'dashed', width: 4 });
    const drawn = await two.page.evaluate(() => {
      const rect = document.querySelector('xmpp-whiteboard')!.shadowRoot!.querySelector('svg.layer rect')!;
      return [rect.getAttribute('fill'), rect.getAttribute('stroke-dasharray')];
    });
    expect(drawn).toEqual(['#a5d8ff', '16 12']);

    // Text takes a font size; the panel offers it for the text tool and for selected text.
    await one.page.evaluate(() => (document.querySelector('xmpp-whiteboard')!.tool = 'text'));
    expect(await panel(one.page).getByRole('button', { name: 'Fill #a5d8ff' }).count()).toBe(0);
    await panel(one.page).getByRole('button', { name: 'Font size: Large' }).click();
    const at = await onCanvas(one.page, 320, 120);
    await one.page.mouse.click(at.x, at.y);
    await one.page.keyboard.type('Plan');
    await one.page.keyboard.press('Escape');
    await expect.poll(async () => (await shapesOn(two.page)).find((shape) => shape.type === 'text')?.size).toBe(28);

    // Everything selected: one change of opacity is one undo step, on every page.
    await one.page.evaluate(() => (document.querySelector('xmpp-whiteboard')!.tool = 'select'));
    await one.page.keyboard.press('Control+a');
    expect(await panel(one.page).getAttribute('aria-label')).toBe('Style of the selection');
    const opacity = panel(one.page).getByRole('slider', { name: 'Opacity' });
    await opacity.focus();
    for (let i = 0; i < 5; i++) await opacity.press('ArrowLeft');
    await expect.poll(async () => (await shapesOn(two.page)).map((shape) => shape.opacity)).toEqual([0.5, 0.5]);
    expect(
      await two.page.evaluate(
        () =>
          [...document.querySelector('xmpp-whiteboard')!.shadowRoot!.querySelectorAll('svg.layer [opacity]')].length,
      ),
    ).toBe(2);
    await board(one.page).screenshot({ path: `${SCREENSHOTS}/whiteboard-properties.png` });
    await one.page.evaluate(() => document.querySelector('xmpp-whiteboard')!.undo());
    await expect.poll(async () => (await shapesOn(two.page)).map((shape) => shape.opacity)).toEqual([0.6, 0.6]);
    // The panel folds away to one button, and opens again as it was.
    await board(one.page).getByRole('button', { name: 'Hide the style panel' }).click();
    expect(await panel(one.page).getAttribute('aria-expanded')).toBe('false');
    expect(await one.page.locator('xmpp-whiteboard .properties fieldset').count()).toBe(0);
    await panel(one.page).click();
    expect(await panel(one.page).getAttribute('aria-label')).toBe('Style of the selection');
    // Layer and actions of the selection are in the panel too.
    await panel(one.page).getByRole('button', { name: 'Duplicate' }).click();
    await waitForShapesOn(two.page, 4);
    await panel(one.page).getByRole('button', { name: 'Delete' }).click();
    await waitForShapesOn(two.page, 2);
    expect([...one.errors, ...two.errors]).toEqual([]);
  });

  it('turns a shape from the handle above it; others see it turned, and a click meets its turned outline', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const [one, two] = [await boards.open(channel, 'Ada'), await boards.open(channel, 'Bo')];
    await dragOn(one.page, 'rect', [
      [100, 100],
      [300, 140],
    ]);
    await dragOn(one.page, 'select', [[200, 100]]);
    await one.page.mouse.up();
    expect(await one.page.evaluate(() => document.querySelector('xmpp-whiteboard')!.selection.size)).toBe(1);
    // The turn handle stands 24 px above the top edge's middle; Shift turns in 15° steps.
    const handle = await onCanvas(one.page, 200, 76);
    const right = await onCanvas(one.page, 290, 122);
    await one.page.mouse.move(handle.x, handle.y);
    await one.page.mouse.down();
    await one.page.keyboard.down('Shift');
    await one.page.mouse.move(right.x, right.y, { steps: 6 });
    await one.page.mouse.up();
    await one.page.keyboard.up('Shift');
    await expect.poll(async () => (await shapesOn(two.page))[0]?.rotation).toBeCloseTo(Math.PI / 2, 5);
    expect(
      await two.page.evaluate(() =>
        document
          .querySelector('xmpp-whiteboard')!
          .shadowRoot!.querySelector('svg.layer rect')!
          .getAttribute('transform'),
      ),
    ).toBe('rotate(90 200 120)');
    // Upright now: 40 wide and 200 tall around (200, 120). Its old top edge is empty board.
    await one.page.keyboard.press('Escape');
    const oldEdge = await onCanvas(one.page, 130, 100);
    await one.page.mouse.click(oldEdge.x, oldEdge.y);
    expect(await one.page.evaluate(() => document.querySelector('xmpp-whiteboard')!.selection.size)).toBe(0);
    const newEdge = await onCanvas(one.page, 181, 200);
    await one.page.mouse.click(newEdge.x, newEdge.y);
    expect(await one.page.evaluate(() => document.querySelector('xmpp-whiteboard')!.selection.size)).toBe(1);
    // Exports draw it turned, and fit around it as turned.
    const svg = await one.page.evaluate(() => document.querySelector('xmpp-whiteboard')!.exportSvg());
    expect(svg).toContain('transform="rotate(90 200 120)"');
    expect(svg).toMatch(/viewBox="(?:1[67]\d(?:\.\d+)?) (?:-?\d+(?:\.\d+)?) (?:7\d(?:\.\d+)?) (?:2[34]\d(?:\.\d+)?)"/);
    expect([...one.errors, ...two.errors]).toEqual([]);
  });

  it('resizes and turns several shapes together, around the box that holds them', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const [one, two] = [await boards.open(channel, 'Ada'), await boards.open(channel, 'Bo')];
    await dragOn(one.page, 'rect', [
      [100, 100],
      [200, 150],
    ]);
    await dragOn(one.page, 'rect', [
      [300, 100],
      [400, 150],
    ]);
    await dragOn(one.page, 'select', [[150, 100]]);
    await one.page.mouse.up();
    await one.page.keyboard.press('Control+a');
    // The box around both is (100, 100)–(400, 150): its corner handle doubles it.
    await dragOn(one.page, 'select', [
      [400, 150],
      [700, 200],
    ]);
    const placed = async () =>
      (await shapesOn(two.page)).map(({ x, y, w, h, rotation }) =>
        [x, y, w, h, rotation].map((value) => Math.round(value as number)),
      );
    await expect.poll(placed).toEqual([
      [100, 100, 200, 100, 0],
      [500, 100, 200, 100, 0],
    ]);
    // Lined up on their left edges from the panel, and back with one undo.
    await panel(one.page).getByRole('button', { name: 'Align left' }).click();
    await expect.poll(async () => (await shapesOn(two.page)).map(({ x }) => Math.round(x))).toEqual([100, 100]);
    await one.page.evaluate(() => document.querySelector('xmpp-whiteboard')!.undo());
    await expect.poll(async () => (await shapesOn(two.page)).map(({ x }) => Math.round(x))).toEqual([100, 500]);
    // Turned a quarter around the box's centre (400, 150), each shape turns on itself too.
    const handle = await onCanvas(one.page, 400, 76);
    const right = await onCanvas(one.page, 490, 152);
    await one.page.mouse.move(handle.x, handle.y);
    await one.page.mouse.down();
    await one.page.keyboard.down('Shift');
    await one.page.mouse.move(right.x, right.y, { steps: 6 });
    await one.page.mouse.up();
    await one.page.keyboard.up('Shift');
    await expect
      .poll(async () =>
        (await shapesOn(two.page)).map(({ x, y, rotation }) => [Math.round(x), Math.round(y), +rotation.toFixed(4)]),
      )
      .toEqual([
        [300, -100, 1.5708],
        [300, 300, 1.5708],
      ]);
    expect([...one.errors, ...two.errors]).toEqual([]);
  });

  it('snaps a dragged shape to the edges of what is in view while Ctrl is held, and shows a guide', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const one = await boards.open(channel, 'Ada');
    await dragOn(one.page, 'rect', [
      [100, 100],
      [200, 200],
    ]);
    await dragOn(one.page, 'rect', [
      [300, 300],
      [350, 350],
    ]);
    // Without Ctrl, a shape goes where it is dragged.
    await dragOn(one.page, 'select', [
      [300, 325],
      [303, 325],
    ]);
    await expect.poll(async () => (await shapesOn(one.page))[1]?.x).toBe(303);
    // With Ctrl, its left edge, dragged to 3 px right of the first square's right edge, meets it.
    await one.page.keyboard.down('Control');
    await dragOn(
      one.page,
      'select',
      [
        [303, 325],
        [203, 325],
      ],
      false,
    );
    expect(await one.page.locator('xmpp-whiteboard line.guide').count()).toBeGreaterThan(0);
    await one.page.mouse.up();
    await one.page.keyboard.up('Control');
    await expect.poll(async () => (await shapesOn(one.page))[1]?.x).toBe(200);
    expect(await one.page.locator('xmpp-whiteboard line.guide').count()).toBe(0);
    // A board with `snap` snaps without Ctrl.
    await one.page.evaluate(() => document.querySelector('xmpp-whiteboard')!.setAttribute('snap', ''));
    await dragOn(one.page, 'select', [
      [200, 325],
      [204, 325],
    ]);
    await expect.poll(async () => (await shapesOn(one.page))[1]?.x).toBe(200);
    expect(one.errors).toEqual([]);
  });

  it("follows another person's view as they pan and zoom, until this user moves their own", async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const one = await boards.open(channel, 'Ada');
    const toolbarHeight = async () =>
      (await one.page.locator('xmpp-whiteboard [part="toolbar"]').boundingBox())!.height;
    const alone = await toolbarHeight();
    const two = await boards.open(channel, 'Bo');
    const follow = board(one.page).getByRole('button', { name: 'Follow Bo' });
    await follow.waitFor();
    // Someone arriving, with a button to follow them, does not move the canvas.
    expect(await toolbarHeight()).toBe(alone);
    await follow.click();
    await two.page.evaluate(() => {
      const element = document.querySelector('xmpp-whiteboard')!;
      element.panBy(2000, 1000);
      element.zoomBy(2);
    });
    const viewOf = (page: Page) => page.evaluate(() => document.querySelector('xmpp-whiteboard')!.view!);
    const theirs = await viewOf(two.page);
    await expect.poll(async () => (await viewOf(one.page)).x).toBeCloseTo(theirs.x, 1);
    const mine = await viewOf(one.page);
    expect(mine.y).toBeCloseTo(theirs.y, 1);
    expect(mine.w).toBeCloseTo(theirs.w, 1);
    expect(await board(one.page).locator('.following').textContent()).toContain('Following Bo');
    expect(await follow.getAttribute('aria-pressed')).toBe('true');
    // Ada pans: she stops following, and Bo's moves no longer move her view.
    await one.page.evaluate(() => document.querySelector('xmpp-whiteboard')!.panBy(10, 0));
    expect(await one.page.evaluate(() => document.querySelector('xmpp-whiteboard')!.following)).toBeUndefined();
    const left = await viewOf(one.page);
    await two.page.evaluate(() => document.querySelector('xmpp-whiteboard')!.panBy(-3000, 0));
    await expect.poll(async () => (await viewOf(two.page)).x).toBeLessThan(theirs.x - 1000);
    // Bo's new view has reached Ada's page, and hers stayed where she put it.
    await expect
      .poll(() =>
        one.page.evaluate(() => {
          const states = [...document.querySelector('xmpp-whiteboard')!.awareness!.getStates().values()];
          const bo = states.find((state) => (state as { user?: { name?: string } }).user?.name === 'Bo');
          return (bo as { view?: { x: number } } | undefined)?.view?.x ?? 0;
        }),
      )
      .toBeLessThan(theirs.x - 1000);
    expect((await viewOf(one.page)).x).toBe(left.x);
    expect([...one.errors, ...two.errors]).toEqual([]);
  });

  it('counts what a person did, not updates: a stroke drawn offline is one change not yet saved', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const one = await boards.open(channel, 'Ada');
    const status = one.page.locator('xmpp-whiteboard [part="status"]');
    const toolbarHeight = async () =>
      (await one.page.locator('xmpp-whiteboard [part="toolbar"]').boundingBox())!.height;
    const online = await toolbarHeight();
    await one.page.context().setOffline(true);
    await one.page.waitForFunction(() => document.querySelector('xmpp-whiteboard')!.status.state === 'offline');
    // A stroke streams as dozens of updates while the pen moves.
    await one.page.evaluate(() => {
      const board = document.querySelector('xmpp-whiteboard')!.board!;
      const id = board.add({
        type: 'stroke',
        x: 10,
        y: 10,
        color: '#000000',
        width: 2,
        highlighter: false,
        points: [],
      });
      for (let i = 0; i < 40; i++) board.appendPoints(id, [i * 3, i * 2, 0.5]);
    });
    await expect.poll(() => status.textContent()).toBe('Offline · 1 change not yet saved');
    // Longer words in the status never move the canvas under a pen.
    expect(await toolbarHeight()).toBe(online);
    await one.page.context().setOffline(false);
    await one.page.waitForFunction(() => document.querySelector('xmpp-whiteboard')!.status.state === 'synced');
    expect(await status.textContent()).toBe('All changes saved');
  });

  it('exports a PNG that shows everything on the board, far apart, turned and filled as drawn', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const one = await boards.open(channel, 'Ada');
    const pixels = await one.page.evaluate(async () => {
      const element = document.querySelector('xmpp-whiteboard')!;
      const board = element.board!;
      const style = { color: '#000000', width: 2 };
      board.add({ type: 'rect', x: 0, y: 0, w: 40, h: 40, ...style });
      // Far from the view, as peers put them: a note, and a filled bar turned upright.
      board.add({ type: 'sticky-note', x: 3000, y: 2000, size: 160, fill: '#ffec99', text: 'far', ...style });
      board.add({ type: 'rect', x: -1600, y: 800, w: 200, h: 20, fill: '#ff0000', rotation: Math.PI / 2, ...style });
      const png = await element.exportPng();
      const bitmap = await createImageBitmap(png);
      const canvas = Object.assign(document.createElement('canvas'), { width: bitmap.width, height: bitmap.height });
      const context = canvas.getContext('2d')!;
      context.drawImage(bitmap, 0, 0);
      const viewBox = /viewBox="([^"]+)"/.exec(element.exportSvg())![1]!.split(' ').map(Number);
      // The colour at a board point, read from the PNG (drawn at twice the SVG's size).
      const at = (x: number, y: number) => {
        const [left, top] = viewBox;
        const data = context.getImageData(Math.round((x - left!) * 2), Math.round((y - top!) * 2), 1, 1).data;
        return `#${[...data.slice(0, 3)].map((value) => value.toString(16).padStart(2, '0')).join('')}`;
      };
      return {
        size: [bitmap.width, bitmap.height],
        viewBox,
        note: at(3080, 2150),
        // The bar's middle, and where its unturned right half would be.
        bar: at(-1500, 880),
        barUnturned: at(-1450, 810),
        between: at(1500, 1000),
      };
    });
    expect(pixels.size).toEqual([Math.ceil(pixels.viewBox[2]!) * 2, Math.ceil(pixels.viewBox[3]!) * 2]);
    // The image reaches from the turned bar (its left at -1510, a 16-unit margin) to the note.
    expect(pixels.viewBox[0]).toBeCloseTo(-1526);
    expect(pixels.viewBox[0]! + pixels.viewBox[2]!).toBeCloseTo(3176);
    expect(pixels.note).toBe('#ffec99');
    expect(pixels.bar).toBe('#ff0000');
    expect(pixels.barUnturned).toBe('#ffffff');
    expect(pixels.between).toBe('#ffffff');
    expect(one.errors).toEqual([]);
  });

  it('names every control of the toolbar and the panel, and reaches them from the keyboard', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const [one] = [await boards.open(channel, 'Ada'), await boards.open(channel, 'Bo')];
    for (const [x, y] of [
      [100, 100],
      [300, 100],
      [500, 100],
    ] as const)
      await dragOn(one.page, 'rect', [
        [x, y],
        [x + 60, y + 40],
      ]);
    const unnamed = () =>
      one.page.evaluate(() =>
        [...document.querySelector('xmpp-whiteboard')!.shadowRoot!.querySelectorAll('button, input, select, textarea')]
          .filter((control) => {
            const labels = (control as HTMLInputElement).labels;
            return !(labels?.length || control.getAttribute('aria-label') || control.textContent!.trim());
          })
          .map((control) => control.outerHTML),
      );
    // The panel for the next shape, for a selection of three (with align and space out), folded.
    expect(await unnamed()).toEqual([]);
    await one.page.keyboard.press('Control+a');
    expect(await panel(one.page).getByRole('button', { name: 'Space out across' }).count()).toBe(1);
    expect(await unnamed()).toEqual([]);
    await board(one.page).getByRole('button', { name: 'Hide the style panel' }).click();
    expect(await unnamed()).toEqual([]);
    // Tab moves through the toolbar's buttons, each in turn.
    await board(one.page).getByRole('button', { name: 'Select', exact: true }).focus();
    await one.page.keyboard.press('Tab');
    const focused = await one.page.evaluate(
      () => document.querySelector('xmpp-whiteboard')!.shadowRoot!.activeElement?.getAttribute('data-tool') ?? null,
    );
    expect(focused).toBe('pen');
    expect(one.errors).toEqual([]);
  });

  it('keeps its toolbar to one row on a laptop and leaves a phone most of the board; screenshots', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const laptop = await boards.open(channel, 'Ada', { width: 1366, height: 768 }, true);
    await boards.open(channel, 'Bo');
    await dragOn(laptop.page, 'rect', [
      [200, 150],
      [420, 300],
    ]);
    await dragOn(laptop.page, 'arrow', [
      [430, 225],
      [600, 225],
    ]);
    await dragOn(laptop.page, 'ellipse', [
      [610, 160],
      [820, 290],
    ]);
    await dragOn(laptop.page, 'pen', [
      [250, 400],
      [300, 440],
      [360, 410],
      [420, 450],
    ]);
    const toolbar = laptop.page.locator('xmpp-whiteboard [part="toolbar"]');
    const button = laptop.page.locator('xmpp-whiteboard [part="toolbar"] button[data-tool="pen"]');
    const [bar, one] = [(await toolbar.boundingBox())!, (await button.boundingBox())!];
    // One row: the bar is one button tall, plus its padding.
    expect(bar.height).toBeLessThan(one.height * 1.9);
    await toolbar.screenshot({ path: `${SCREENSHOTS}/whiteboard-toolbar-laptop.png` });
    await board(laptop.page).screenshot({ path: `${SCREENSHOTS}/whiteboard-board.png` });

    const phone = await boards.open(channel, 'Grace', { width: 390, height: 844 }, true);
    const phoneBar = phone.page.locator('xmpp-whiteboard [part="toolbar"]');
    const canvas = (await phone.page.locator('xmpp-whiteboard svg[part="canvas"]').boundingBox())!;
    // Controls in one row that scrolls, who is here and the status in the row below.
    expect((await phoneBar.boundingBox())!.height).toBeLessThan(one.height * 3);
    expect(canvas.y).toBeLessThan(844 / 4);
    expect(canvas.height).toBeGreaterThan(844 / 2);
    await phoneBar.screenshot({ path: `${SCREENSHOTS}/whiteboard-toolbar-phone.png` });
    await phone.page.screenshot({ path: `${SCREENSHOTS}/whiteboard-phone.png` });
    expect([...laptop.errors, ...phone.errors]).toEqual([]);
  });
});
