import { mkdirSync } from 'node:fs';
import { xml } from '@xsync/core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, servePages } from '../support/browser.js';
import { Fixture, createAccount } from '../support/fixtures.js';

const SCREENSHOTS = 'test-results/screenshots';
const fixture = new Fixture('editor');
let browser: Browser;
let pages: { url: string; close: () => Promise<void> };
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  pages = await servePages(new URL('./page/', import.meta.url).href);
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const context of contexts.splice(0)) await context.close();
  await browser?.close();
  await pages?.close();
  await fixture.close();
});

/** A new browser context (its own storage and network) showing one <xmpp-editor> in `channel`. */
async function openEditor(
  channel: string,
  attributes: Record<string, string> = {},
): Promise<{
  page: Page;
  context: BrowserContext;
  errors: string[];
}> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(`${pages.url}editor.html`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  const { wsUrl, domain } = inject('server');
  const account = await createAccount('editor');
  await page.evaluate(
    ({ service, jid, password, channel, attributes }) => {
      const editor = document.createElement('xmpp-editor');
      for (const [name, value] of Object.entries({ service, jid, password, room: channel, ...attributes })) {
        editor.setAttribute(name, value);
      }
      document.body.append(editor);
    },
    { service: wsUrl, jid: `${account.username}@${domain}`, password: account.password, channel, attributes },
  );
  await page.waitForFunction(() => document.querySelector('xmpp-editor')?.status.state === 'synced');
  return { page, context, errors };
}

const valueOf = (page: Page) => page.evaluate(() => document.querySelector('xmpp-editor')!.value);

/** Types at the start of the document, as a user would. */
async function typeAtStart(page: Page, text: string): Promise<void> {
  await page.locator('xmpp-editor .cm-content').click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.type(text);
}

async function waitForSameValue(a: Page, b: Page, predicate: (value: string) => boolean): Promise<string> {
  for (const page of [a, b]) {
    await page.waitForFunction(
      (source) => new Function('value', `return (${source})(value)`)(document.querySelector('xmpp-editor')!.value),
      predicate.toString(),
      { timeout: 20_000 },
    );
  }
  const [first, second] = [await valueOf(a), await valueOf(b)];
  expect(second).toBe(first);
  return first;
}

describe('<xmpp-editor> in Chromium', () => {
  it('two pages typing at the same position end identical', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const [one, two] = [
      await openEditor(channel, { 'user-name': 'Ada', 'user-color': '#b3261e' }),
      await openEditor(channel),
    ];
    await Promise.all([typeAtStart(one.page, 'alpha '), typeAtStart(two.page, 'beta ')]);
    const value = await waitForSameValue(one.page, two.page, (v) => v.includes('alpha ') && v.includes('beta '));
    expect(value.length).toBe('alpha beta '.length);
    // Each page shows the other's cursor with its name and colour.
    const caret = two.page.locator('xmpp-editor .cm-ySelectionCaret', { hasText: 'Ada' });
    await caret.waitFor({ state: 'attached' });
    expect(await caret.getAttribute('style')).toContain('#b3261e');
    await one.page.screenshot({ path: `${SCREENSHOTS}/editor-concurrent.png` });
    expect([...one.errors, ...two.errors]).toEqual([]);
  });

  it("undo takes back only this user's edits", async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const [one, two] = [await openEditor(channel), await openEditor(channel)];
    await typeAtStart(one.page, 'mine');
    await waitForSameValue(one.page, two.page, (v) => v === 'mine');
    await two.page.locator('xmpp-editor .cm-content').click();
    await two.page.keyboard.press('Control+End');
    await two.page.keyboard.type(' theirs');
    await waitForSameValue(one.page, two.page, (v) => v === 'mine theirs');
    await one.page.evaluate(() => document.querySelector('xmpp-editor')!.undo());
    expect(await waitForSameValue(one.page, two.page, (v) => !v.includes('mine'))).toBe(' theirs');
  });

  it('edits made offline merge after reconnecting, and the status says so', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const [one, two] = [await openEditor(channel), await openEditor(channel)];
    await two.context.setOffline(true);
    await two.page.waitForFunction(() => document.querySelector('xmpp-editor')!.status.state === 'offline');
    await typeAtStart(two.page, 'written offline. ');
    await typeAtStart(one.page, 'written online. ');
    const status = two.page.locator('xmpp-editor [part="status"]');
    expect(await status.textContent()).toMatch(/^Offline · \d+ changes? not yet saved$/);
    await two.page.screenshot({ path: `${SCREENSHOTS}/editor-offline.png` });
    await two.context.setOffline(false);
    await waitForSameValue(
      one.page,
      two.page,
      (v) => v.includes('written offline. ') && v.includes('written online. '),
    );
    await two.page.waitForFunction(() => document.querySelector('xmpp-editor')!.status.state === 'synced');
    expect(await status.textContent()).toBe('All changes saved');
  });

  it('refuses malformed and oversized updates from the network without losing the document', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const one = await openEditor(channel);
    await typeAtStart(one.page, 'keep me');
    await one.page.waitForFunction(() => document.querySelector('xmpp-editor')!.status.state === 'synced');
    await one.page.evaluate(() => {
      const editor = document.querySelector('xmpp-editor')!;
      (window as unknown as { refused: unknown[] }).refused = [];
      editor.addEventListener('error', (event) =>
        (window as unknown as { refused: unknown[] }).refused.push((event as unknown as CustomEvent).detail),
      );
    });
    const hostile = await fixture.join(channel);
    // A Yjs update that is not one, and one far over the size limit, both in the editor's document.
    const send = (payload: string) =>
      hostile.connection.send(
        xml(
          'message',
          { type: 'groupchat', to: channel, id: `h${Math.random()}` },
          xml(
            'event',
            { xmlns: 'urn:xsync:1', doc: 'editor:notes' },
            xml('update', { xmlns: 'urn:xsync:yjs:1' }, payload),
          ),
        ),
      );
    await send('AQLr/////w==');
    await send('A'.repeat(800 * 1024));
    await one.page.waitForFunction(() => (window as unknown as { refused: unknown[] }).refused.length === 2);
    const reasons = await one.page.evaluate(() =>
      (window as unknown as { refused: Array<{ rejection: { reason: string } }> }).refused.map(
        (detail) => detail.rejection.reason,
      ),
    );
    expect(reasons).toEqual(['invalid-payload', 'oversized']);
    expect(await valueOf(one.page)).toBe('keep me');
    await typeAtStart(one.page, 'still editable, ');
    await one.page.waitForFunction(() => document.querySelector('xmpp-editor')!.value === 'still editable, keep me');
    expect(one.errors).toEqual([]);
  });

  it('makes and renames documents in place, without a browser dialog', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const [one, two] = [await openEditor(channel), await openEditor(channel)];
    const dialogs: string[] = [];
    one.page.on('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.dismiss();
    });
    const titles = (page: Page) =>
      page.evaluate(() =>
        [...document.querySelector('xmpp-editor')!.shadowRoot!.querySelectorAll('option')].map((o) => o.textContent),
      );
    await one.page.locator('xmpp-editor button', { hasText: 'New' }).click();
    const name = one.page.locator('xmpp-editor input[placeholder="Name of the new document"]');
    // Focus moves to the name; a name of spaces is refused in words.
    await expect.poll(() => name.evaluate((input) => input.matches(':focus'))).toBe(true);
    await name.fill('   ');
    await name.press('Enter');
    await one.page.locator('xmpp-editor [role="alert"]', { hasText: '1 to 80 characters' }).waitFor();
    await name.fill('Roadmap');
    await name.press('Enter');
    await one.page.waitForFunction(() => document.querySelector('xmpp-editor')!.doc === 'Roadmap');
    await one.page.locator('xmpp-editor button', { hasText: 'Rename' }).click();
    const title = one.page.locator('xmpp-editor input[placeholder="New title of this document"]');
    expect(await title.inputValue()).toBe('Roadmap');
    await title.fill('Roadmap 2027');
    await one.page.locator('xmpp-editor button[type="submit"]', { hasText: 'Rename' }).click();
    await expect.poll(() => titles(two.page), { timeout: 20_000 }).toEqual(['notes', 'Roadmap 2027']);
    // Escape leaves the naming without a change.
    await one.page.locator('xmpp-editor button', { hasText: 'New' }).click();
    await one.page.locator('xmpp-editor input[placeholder="Name of the new document"]').press('Escape');
    expect(await titles(one.page)).toEqual(['notes', 'Roadmap 2027']);
    expect(dialogs).toEqual([]);
    expect([...one.errors, ...two.errors]).toEqual([]);
  });

  it('keeps several named documents per room, with import and export', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const [one, two] = [await openEditor(channel), await openEditor(channel)];
    await one.page.evaluate(() => document.querySelector('xmpp-editor')!.createDocument('plan'));
    await one.page.waitForFunction(() => document.querySelector('xmpp-editor')!.status.state === 'synced');
    await typeAtStart(one.page, 'plan text');
    const options = () =>
      two.page.evaluate(() =>
        [...document.querySelector('xmpp-editor')!.shadowRoot!.querySelectorAll('option')].map((o) => o.value),
      );
    await two.page.waitForFunction(() =>
      [...document.querySelector('xmpp-editor')!.shadowRoot!.querySelectorAll('option')].some(
        (o) => o.value === 'plan',
      ),
    );
    expect(await options()).toEqual(['notes', 'plan']);
    await two.page.selectOption('xmpp-editor select', 'plan');
    await two.page.waitForFunction(() => document.querySelector('xmpp-editor')!.value === 'plan text');
    expect(await two.page.evaluate(() => document.querySelector('xmpp-editor')!.exportText())).toBe('plan text');
    await two.page.locator('xmpp-editor input[type="file"]').setInputFiles({
      name: 'imported.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from('# Imported\n'),
    });
    await one.page.waitForFunction(() => document.querySelector('xmpp-editor')!.value === '# Imported\n');
    // The first document is untouched.
    await one.page.evaluate(() => (document.querySelector('xmpp-editor')!.doc = 'notes'));
    await one.page.waitForFunction(() => document.querySelector('xmpp-editor')!.status.state === 'synced');
    expect(await valueOf(one.page)).toBe('');
  });

  it('two elements in one room share one connection', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const one = await openEditor(channel);
    let sockets = 0;
    one.page.on('websocket', () => sockets++);
    await one.page.evaluate(() => {
      const first = document.querySelector('xmpp-editor')!;
      const second = document.createElement('xmpp-editor');
      for (const name of ['service', 'jid', 'password', 'room']) second.setAttribute(name, first.getAttribute(name)!);
      second.setAttribute('doc', 'second');
      document.body.append(second);
    });
    await one.page.waitForFunction(() =>
      [...document.querySelectorAll('xmpp-editor')].every((editor) => editor.status.state === 'synced'),
    );
    expect(sockets).toBe(0);
  });

  it('renders the Markdown preview without running what the document smuggles in', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const one = await openEditor(channel, { preview: '' });
    await one.page.evaluate(() =>
      document
        .querySelector('xmpp-editor')!
        .importText(
          '# Title\n\n<img src="x" onerror="window.pwned = 1"><script>window.pwned = 2</script>[a](javascript:alert(1))',
        ),
    );
    const preview = one.page.locator('xmpp-editor [part="preview"]');
    await expect.poll(() => preview.locator('h1').textContent()).toBe('Title');
    expect(await preview.locator('script').count()).toBe(0);
    expect(await preview.locator('img').getAttribute('onerror')).toBeNull();
    expect(await preview.locator('a').getAttribute('href')).toBeNull();
    expect(await one.page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    await one.page.screenshot({ path: `${SCREENSHOTS}/editor-preview.png` });
  });

  it('read-only editors take no typing; the placeholder and line numbers show', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const one = await openEditor(channel, { readonly: '', placeholder: 'Nothing yet', 'line-numbers': '', wrap: '' });
    expect(await one.page.locator('xmpp-editor .cm-placeholder').textContent()).toBe('Nothing yet');
    expect(await one.page.locator('xmpp-editor .cm-lineNumbers').count()).toBe(1);
    expect(await one.page.locator('xmpp-editor .cm-lineWrapping').count()).toBe(1);
    await one.page.locator('xmpp-editor .cm-content').click();
    await one.page.keyboard.type('ignored');
    expect(await valueOf(one.page)).toBe('');
    await one.page.evaluate(() => document.querySelector('xmpp-editor')!.removeAttribute('readonly'));
    await typeAtStart(one.page, 'now editable');
    expect(await valueOf(one.page)).toBe('now editable');
  });
});
