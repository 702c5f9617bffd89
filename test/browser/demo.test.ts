import { mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Bot } from '@xsync/bot';
import { Connection, Room, jsonPatch } from '@xsync/core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, serveDemo } from '../support/browser.js';
import { createAccount } from '../support/fixtures.js';

// The demo as `npm start` serves it: guest accounts, rooms on the MIX service, the bot
// invited into each room. Each step saves a screenshot in test-results/screenshots/demo-*.
const SCREENSHOTS = 'test-results/screenshots';
const room = `demo-e2e-${randomBytes(3).toString('hex')}`;
let browser: Browser;
let demo: { url: string; close: () => Promise<void> };
let bot: Bot;
let botDir: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const { tcpUrl, wsUrl, domain, mucDomain } = inject('server');
  const botAccount = await createAccount('demo-bot');
  botDir = await mkdtemp(join(tmpdir(), 'xsync-demo-bot-'));
  bot = await Bot.start({
    service: tcpUrl,
    domain,
    ...botAccount,
    channels: [],
    acceptInvitesFrom: [domain],
    dataDir: botDir,
    logger: pino({ level: 'silent' }),
  });
  demo = await serveDemo({
    VITE_XSYNC_SERVICE: wsUrl,
    VITE_XSYNC_DOMAIN: domain,
    VITE_XSYNC_ROOM_SERVICE: mucDomain,
    VITE_XSYNC_BOT: `${botAccount.username}@${domain}`,
    VITE_XSYNC_GUESTS: 'register',
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of contexts.splice(0)) await context.close();
  await browser?.close();
  await demo?.close();
  await bot?.stop();
  if (botDir) await rm(botDir, { recursive: true, force: true });
});

interface Visitor {
  page: Page;
  context: BrowserContext;
  errors: string[];
}

/** A new browser context: its own storage, its own guest account. */
async function visit(path = '', viewport = { width: 1280, height: 800 }): Promise<Visitor> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  contexts.push(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(new URL(path, demo.url).href);
  return { page, context, errors };
}

/** Fills in the join screen and enters the room. */
async function enterRoom(visitor: Visitor, name: string, colour: string): Promise<void> {
  const { page } = visitor;
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('radio', { name: colour }).check();
  await page.getByLabel('Room', { exact: true }).fill(room);
  await page.getByRole('button', { name: 'Enter room', exact: true }).click();
  await synced(page);
}

const synced = (page: Page) =>
  page.waitForFunction(() => document.querySelector('demo-room')?.status.state === 'synced', null, {
    timeout: 30_000,
  });

const shot = (page: Page, step: string) => page.screenshot({ path: `${SCREENSHOTS}/demo-${step}.png` });

/** The room as a page shows it: shape ids and the notes' text. */
const roomState = (page: Page) =>
  page.evaluate(() => ({
    shapes: document
      .querySelector('xmpp-whiteboard')!
      .board!.all()
      .map((shape) => shape.id)
      .sort(),
    notes: document.querySelector('xmpp-editor')!.value,
  }));

/** Waits until every page shows the same room, and returns it. */
async function converged(pages: Page[], timeout = 30_000): Promise<Awaited<ReturnType<typeof roomState>>> {
  let states: Array<Awaited<ReturnType<typeof roomState>>> = [];
  await expect
    .poll(
      async () => {
        states = await Promise.all(pages.map(roomState));
        return states.every((state) => JSON.stringify(state) === JSON.stringify(states[0]));
      },
      { timeout },
    )
    .toBe(true);
  return states[0]!;
}

const participants = (page: Page) =>
  page.locator('demo-participants li').evaluateAll((items) => items.map((item) => item.textContent!.trim()));

/** Drags across the board with the current tool. */
async function draw(page: Page, from: [number, number], to: [number, number]): Promise<void> {
  const box = (await page.locator('xmpp-whiteboard svg[part="canvas"]').boundingBox())!;
  await page.mouse.move(box.x + from[0], box.y + from[1]);
  await page.mouse.down();
  await page.mouse.move(box.x + to[0], box.y + to[1], { steps: 8 });
  await page.mouse.up();
}

async function type(page: Page, text: string): Promise<void> {
  await page.locator('xmpp-editor .cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
}

describe('the demo in Chromium', () => {
  let ada: Visitor;
  let grace: Visitor;

  it('two people join one room: one from the join screen, one from the share link', async () => {
    ada = await visit();
    await expect(ada.page.getByRole('heading', { name: 'xsync rooms' })).toBeDefined();
    await shot(ada.page, '1-join-screen');
    await enterRoom(ada, 'Ada', 'Red');
    expect(new URL(ada.page.url()).searchParams.get('room')).toBe(room);
    const link = await ada.page.getByLabel('Share link').inputValue();
    expect(link).toBe(ada.page.url());

    grace = await visit(link);
    // The link names the room; only the name is left to give.
    expect(await grace.page.getByLabel('Room', { exact: true }).inputValue()).toBe(room);
    await grace.page.getByLabel('Your name').fill('Grace');
    await grace.page.getByRole('radio', { name: 'Green' }).check();
    await grace.page.getByRole('button', { name: 'Enter room', exact: true }).click();
    await synced(grace.page);

    for (const page of [ada.page, grace.page]) {
      await expect.poll(() => participants(page), { timeout: 20_000 }).toHaveLength(2);
    }
    expect(await participants(ada.page)).toEqual(['Ada (you)', 'Grace']);
    expect(await participants(grace.page)).toEqual(['Grace (you)', 'Ada']);
    // Everyone appears in their colour.
    const adaColour = await grace.page
      .locator('demo-participants li', { hasText: 'Ada' })
      .locator('span:not(.dot)')
      .evaluate((span) => getComputedStyle(span).color);
    expect(adaColour).toBe('rgb(179, 38, 30)');
    await shot(grace.page, '2-joined');
  });

  it('they draw and type, and both see the same room', async () => {
    await draw(ada.page, [100, 100], [300, 200]);
    await grace.page.evaluate(() => (document.querySelector('xmpp-whiteboard')!.tool = 'rect'));
    await draw(grace.page, [350, 120], [500, 260]);
    await type(ada.page, 'Agenda: ');
    await type(grace.page, 'ship the demo.');
    await expect.poll(async () => (await roomState(ada.page)).notes.length, { timeout: 20_000 }).toBe(22);
    const { shapes, notes } = await converged([ada.page, grace.page]);
    expect(shapes).toHaveLength(2);
    expect(notes).toContain('Agenda: ');
    expect(notes).toContain('ship the demo.');
    await shot(ada.page, '3-drawn-and-typed');
  });

  it('a reload keeps the room and the visitor', async () => {
    const before = await roomState(ada.page);
    await ada.page.reload();
    await synced(ada.page);
    expect(await roomState(ada.page)).toEqual(before);
    await expect.poll(async () => (await participants(ada.page))[0]).toBe('Ada (you)');
    // The page said goodbye as it went: Grace's board shows one Ada, not a stale second one
    // waiting for the 30 s awareness timeout.
    const adas = () =>
      grace.page.evaluate(
        () =>
          [...document.querySelector('xmpp-whiteboard')!.awareness!.getStates().values()].filter(
            (state) => (state as { user?: { name?: string } }).user?.name === 'Ada',
          ).length,
      );
    await expect.poll(adas, { timeout: 10_000 }).toBe(1);
    await shot(ada.page, '4-reloaded');
  });

  it('someone offline keeps drawing and writing, and it all merges when they are back', async () => {
    await grace.context.setOffline(true);
    await grace.page.locator('demo-room .status', { hasText: 'Offline' }).waitFor();
    await grace.page.evaluate(() => (document.querySelector('xmpp-whiteboard')!.tool = 'ellipse'));
    await draw(grace.page, [120, 300], [260, 380]);
    await type(grace.page, ' (offline note)');
    await draw(ada.page, [400, 320], [520, 420]);
    await type(ada.page, ' Online note.');
    await grace.page.locator('demo-room .status', { hasText: /Offline · \d+ changes? not yet saved/ }).waitFor();
    await shot(grace.page, '5-offline');

    await grace.context.setOffline(false);
    await synced(grace.page);
    await expect.poll(async () => (await roomState(ada.page)).shapes.length, { timeout: 30_000 }).toBe(4);
    const { shapes, notes } = await converged([ada.page, grace.page]);
    expect(shapes).toHaveLength(4);
    expect(notes).toContain('(offline note)');
    expect(notes).toContain('Online note.');
    await shot(grace.page, '6-merged');
  });

  it('a late joiner sees everything at once, and can join with the keyboard alone', async () => {
    const expected = await roomState(ada.page);
    const late = await visit(`?room=${room}`);
    // Focus starts in the name field; Enter submits.
    await late.page.keyboard.type('Linus');
    await late.page.keyboard.press('Enter');
    await synced(late.page);
    // Read as soon as the room says it is synced: nothing trickles in afterwards.
    expect(await roomState(late.page)).toEqual(expected);
    await expect.poll(() => participants(ada.page), { timeout: 20_000 }).toHaveLength(3);
    await shot(late.page, '7-late-joiner');
    expect([...ada.errors, ...grace.errors, ...late.errors]).toEqual([]);
  });

  it('exports the board and the notes', async () => {
    const { page } = ada;
    const svg = page.waitForEvent('download');
    // The state of the work and the exports show once, in the room's header.
    expect(await page.locator('text="All changes saved" >> visible=true').count()).toBe(1);
    expect(await page.locator('xmpp-whiteboard [part="export"] >> visible=true').count()).toBe(0);
    await page.getByText('Export', { exact: true }).click();
    await page.getByRole('button', { name: 'Board as SVG' }).click();
    const svgFile = await svg;
    expect(svgFile.suggestedFilename()).toBe(`${room}-board.svg`);
    expect(readFileSync(await svgFile.path(), 'utf8')).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const png = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Board as PNG' }).click();
    expect(
      readFileSync(await (await png).path())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    const notes = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Notes as Markdown' }).click();
    expect(readFileSync(await (await notes).path(), 'utf8')).toBe((await roomState(page)).notes);
  });

  it('lists rooms, creates new ones, and leads back to the join screen', async () => {
    await ada.page.getByRole('button', { name: 'Leave room' }).click();
    await expect.poll(() => ada.page.getByRole('button', { name: `Enter ${room}` }).count()).toBe(1);
    await ada.page.getByRole('button', { name: 'New room' }).click();
    await synced(ada.page);
    const created = new URL(ada.page.url()).searchParams.get('room')!;
    expect(created).toMatch(/^room-[0-9a-f]{6}$/);
    expect(await roomState(ada.page)).toEqual({ shapes: [], notes: '' });
    await expect.poll(() => bot.followers.has(`${created}@${inject('server').mucDomain}`)).toBe(true);
  });

  it('on a phone-sized screen, stacks the room without sideways scrolling', async () => {
    const phone = await visit(`?room=${room}`, { width: 390, height: 844 });
    await phone.page.getByLabel('Your name').fill('Phone');
    await phone.page.getByRole('button', { name: 'Enter room', exact: true }).click();
    await synced(phone.page);
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const board = (await phone.page.locator('xmpp-whiteboard').boundingBox())!;
    const notes = (await phone.page.locator('xmpp-editor').boundingBox())!;
    expect(notes.y).toBeGreaterThanOrEqual(board.y + board.height);
    // The header and who is here leave the board most of the screen: it begins in its top third.
    expect(board.y).toBeLessThan(844 / 3);
    expect(board.height).toBeGreaterThan(844 / 2);
    await phone.page.screenshot({ path: `${SCREENSHOTS}/demo-8-phone.png`, fullPage: true });
  });

  it('signs in with a JID and password on a server without guest accounts', async () => {
    const { wsUrl, domain } = inject('server');
    const account = await createAccount('demo-member');
    const member = await visit(`?room=${room}`);
    await member.page.getByLabel('Your name').fill('Member');
    await member.page.getByText('Use another XMPP server').click();
    await member.page.getByLabel('WebSocket address').fill(wsUrl);
    await member.page.getByLabel('Your JID').fill(`${account.username}@${domain}`);
    await member.page.getByLabel('Password').fill(account.password);
    await member.page.getByRole('button', { name: 'Enter room', exact: true }).click();
    await synced(member.page);
    expect(await roomState(member.page)).toEqual(await roomState(grace.page));
  });

  it('labels every control', async () => {
    const page = (await visit()).page;
    await page.getByRole('heading', { name: 'Rooms on this server' }).waitFor();
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, button, select')]
        .filter((control) => {
          const labels = (control as HTMLInputElement).labels;
          const named =
            (labels && labels.length > 0) || control.getAttribute('aria-label') || control.textContent!.trim();
          return !named;
        })
        .map((control) => control.outerHTML),
    );
    expect(unlabelled).toEqual([]);
  });
});

describe('access in the demo', () => {
  /** Opens the join screen, names the visitor, and enters `name` set up as `access` if it is new. */
  async function enterAs(visitor: Visitor, person: string, name: string, access?: string): Promise<void> {
    await visitor.page.getByLabel('Your name').fill(person);
    await visitor.page.getByLabel('Room', { exact: true }).fill(name);
    if (access) await visitor.page.getByLabel('Who can enter a new room').selectOption({ label: access });
    await visitor.page.getByRole('button', { name: 'Enter room', exact: true }).click();
  }
  const badge = (page: Page) => page.locator('demo-room .role-badge').textContent();
  const addressOf = (page: Page) => page.evaluate(() => document.querySelector('demo-people')!.self);
  /** The owner adds someone by address, with a role, in the room's access panel. */
  async function add(page: Page, address: string, role: string): Promise<void> {
    await page.getByText('Access and members').click();
    await page.getByLabel('Add someone by address').fill(address);
    await page.getByLabel('as', { exact: true }).selectOption({ label: role });
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.locator('demo-people .notice', { hasText: address }).waitFor();
  }

  it("[ACC2] a viewer's page shows the room read-only, and even modified changes nobody's board or notes", async () => {
    const name = `acc-view-${randomBytes(3).toString('hex')}`;
    const owner = await visit();
    await enterAs(owner, 'Olga', name, 'Anyone looks; members edit');
    await synced(owner.page);
    expect(await badge(owner.page)).toBe('Owner');
    await draw(owner.page, [100, 100], [300, 200]);
    await type(owner.page, 'Plan: ');

    const viewer = await visit(`?room=${name}`);
    await enterAs(viewer, 'Victor', name);
    await synced(viewer.page);
    expect(await badge(viewer.page)).toBe('View only');
    // The room does not relay a viewer's awareness; the owner still sees them, from the room's presence.
    await expect.poll(() => participants(owner.page)).toEqual(['Olga (you)', expect.stringMatching(/ · viewing$/)]);
    expect(await participants(viewer.page)).toEqual(['Victor (you) · viewing', 'Olga']);
    await expect.poll(async () => (await roomState(viewer.page)).notes).toBe('Plan: ');
    const before = await roomState(owner.page);
    expect(await viewer.page.locator('xmpp-whiteboard [part="toolbar"] button[data-tool="pen"]').isDisabled()).toBe(
      true,
    );
    expect(await viewer.page.locator('xmpp-editor [part="role"]').textContent()).toBe('View only');
    // Typing into the notes does nothing.
    await type(viewer.page, 'typed by a viewer');
    expect((await roomState(viewer.page)).notes).toBe('Plan: ');

    // A modified page lifts the read-only state and writes to both documents directly.
    await viewer.page.evaluate(() => {
      const board = document.querySelector('xmpp-whiteboard')!;
      const notes = document.querySelector('xmpp-editor')!;
      board.readonly = false;
      notes.readonly = false;
      board.board!.add({ type: 'rect', x: 0, y: 0, x2: 50, y2: 50, color: '#000', width: 2 });
      notes.ydoc!.getText('content').insert(0, 'FORGED ');
    });
    // The server refuses it, and the viewer is told why, in words.
    await viewer.page.locator('demo-room .problem', { hasText: 'you are a viewer here' }).waitFor();
    // Nothing reached the owner, nor anyone who comes later and reads the archive or the bot.
    expect(await roomState(owner.page)).toEqual(before);
    const late = await visit(`?room=${name}`);
    await enterAs(late, 'Lena', name);
    await synced(late.page);
    expect(await roomState(late.page)).toEqual(before);
    await shot(viewer.page, '9-viewer');

    // Made an editor by the owner, the same visitor edits.
    await add(owner.page, await addressOf(viewer.page), 'Editor');
    await expect.poll(() => badge(viewer.page)).toBe('Editor');
    await shot(owner.page, '11-access-panel');
    await viewer.page.reload();
    await synced(viewer.page);
    await type(viewer.page, 'Victor edits.');
    await expect.poll(async () => (await roomState(owner.page)).notes).toContain('Victor edits.');
    expect([...owner.errors, ...viewer.errors, ...late.errors]).toEqual([]);
  });

  it('[ACC1] a private room turns strangers away in words, and lets in whom its owner adds', async () => {
    const name = `acc-private-${randomBytes(3).toString('hex')}`;
    const owner = await visit();
    await enterAs(owner, 'Olga', name, 'Only people I add (private)');
    await synced(owner.page);
    await type(owner.page, 'Secret plan.');
    // Not in the room list of anyone else.
    const stranger = await visit(`?room=${name}`);
    await stranger.page.getByRole('heading', { name: 'Rooms on this server' }).waitFor();
    await expect.poll(() => stranger.page.getByRole('button', { name: `Enter ${name}` }).count()).toBe(0);
    await enterAs(stranger, 'Sam', name);
    await stranger.page.locator('.room-message', { hasText: 'This room is for its members only' }).waitFor();
    const refusal = await stranger.page.locator('.room-message').textContent();
    const address = /your address is (\S+)\./.exec(refusal!)![1]!;
    expect(await stranger.page.locator('xmpp-editor').count()).toBe(0);
    await shot(stranger.page, '10-private-refused');

    await add(owner.page, address, 'Editor');
    await stranger.page.reload();
    await synced(stranger.page);
    expect(await badge(stranger.page)).toBe('Editor');
    await expect.poll(async () => (await roomState(stranger.page)).notes).toBe('Secret plan.');
  });
});

describe('the room list in the demo', () => {
  const connections: Connection[] = [];
  /** Rooms this test made, which their owner destroys at the end, and rooms entered from Node. */
  const owned: Room[] = [];
  const entered: Room[] = [];
  afterAll(async () => {
    for (const room of entered.splice(0)) room.destroy();
    for (const room of owned.splice(0)) {
      await room.destroyRoom().catch(() => undefined);
      room.destroy();
    }
    await Promise.all(connections.splice(0).map((connection) => connection.close()));
  });

  async function connect(prefix: string): Promise<Connection> {
    const { tcpUrl, domain } = inject('server');
    const connection = await Connection.open({ service: tcpUrl, domain, ...(await createAccount(prefix)) });
    connections.push(connection);
    return connection;
  }
  /** Someone outside the demo in room `jid` under `nick`, who stays until the end. */
  async function enterAs(jid: string, nick: string): Promise<Room> {
    const room = new Room(await connect('demo-list-person'), { jid, nick });
    entered.push(room);
    await room.join();
    return room;
  }

  it('shows who is in each room and when it was last active, most recently active first', async () => {
    const owner = await connect('demo-list-owner');
    const { mucDomain, kind } = inject('server');
    const tag = randomBytes(3).toString('hex');
    // Names in the reverse of the expected order, so the order is the list's and not the alphabet's.
    const [latest, earlier, untouched] = await Promise.all(
      ['c', 'b', 'a'].map((letter) => Room.create(owner, mucDomain, `demo-list-${letter}-${tag}`, { listed: true })),
    );
    for (const jid of [latest!, earlier!, untouched!]) owned.push(new Room(owner, { jid, kind: 'muc' }));
    const nameOf = (jid: string) => jid.split('@')[0]!;
    // Someone was in one room a while ago and left; Ada is in another now and just changed it.
    const bo = await enterAs(earlier!, 'Bo');
    await bo.publish(jsonPatch, [{ op: 'add', path: '/a', value: 1 }]);
    await bo.leave();
    const ada = await enterAs(latest!, 'Ada');
    await ada.publish(jsonPatch, [{ op: 'add', path: '/b', value: 2 }]);

    const visitor = await visit('', { width: 390, height: 844 });
    const { page } = visitor;
    const card = (jid: string) => page.getByRole('button', { name: `Enter ${nameOf(jid)}`, exact: true });
    await card(untouched!).waitFor();
    const order = await page
      .locator('.room-card')
      .evaluateAll((cards) => cards.map((button) => button.getAttribute('aria-label')));
    const position = (jid: string) => order.indexOf(`Enter ${nameOf(jid)}`);
    expect(position(latest!)).toBeLessThan(position(earlier!));
    expect(position(earlier!)).toBeLessThan(position(untouched!));
    // ejabberd names a public room's occupants; Prosody gives their number alone.
    const text = async (jid: string, part: string) =>
      (await card(jid).locator(part).textContent())!.replace(/\s+/g, ' ').trim();
    const people = (jid: string) => text(jid, '.room-people');
    const activity = (jid: string) => text(jid, '.room-activity');
    expect(await people(latest!)).toBe(kind === 'ejabberd' ? '1 person here: Ada' : '1 person here');
    expect(await activity(latest!)).toMatch(/^Active (just now|\d+ min ago)$/);
    expect(await card(latest!).locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await people(earlier!)).toBe('Nobody here');
    expect(await activity(earlier!)).toMatch(/^Active (just now|\d+ min ago)$/);
    expect(await people(untouched!)).toBe('Nobody here');
    expect(await activity(untouched!)).toBe('No activity yet');
    // A screen reader hears the figures as the button's description.
    const description = await card(latest!).evaluate((button) =>
      document.getElementById(button.getAttribute('aria-describedby')!)!.textContent!.replace(/\s+/g, ' ').trim(),
    );
    expect(description).toMatch(/^1 person here.* Active /);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SCREENSHOTS}/demo-12-room-list.png`, fullPage: true });

    // Refreshing shows who came since.
    await enterAs(latest!, 'Grace');
    await page.getByRole('button', { name: 'Refresh the list' }).click();
    await expect
      .poll(() => people(latest!), { timeout: 10_000 })
      .toBe(kind === 'ejabberd' ? '2 people here: Ada and Grace' : '2 people here');

    // One click enters a room, under the name the visitor gave.
    await page.getByLabel('Your name').fill('Linus');
    await card(latest!).click();
    await synced(page);
    expect(new URL(page.url()).searchParams.get('room')).toBe(nameOf(latest!));
    await expect
      .poll(() => [...ada.participants.values()].map((participant) => participant.nick), { timeout: 10_000 })
      .toContain('Linus');
    expect(visitor.errors).toEqual([]);
  });
});
