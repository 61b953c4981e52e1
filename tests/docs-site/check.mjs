// Opens every page of the built VuePress site, and each set's Redoc page, in
// headless Chromium and checks what a reader sees against the Markdown (and
// openapi.json) it was built from. See README.md.
//
// usage: node check.mjs OUT [--no-redoc]
//   OUT is the folder check.sh built into (manifest.json, site/, redoc/).
//
// Prints one FAIL line per failed check, then a summary ending in
// "docs-site: N passed, M failed"; exits 1 if anything failed.
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { parsePage } from './markdown.mjs';
import { serve } from './serve.mjs';

const out = resolve(process.argv[2] ?? 'target/docs-site');
const withRedoc = !process.argv.includes('--no-redoc');
const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));

// VuePress 1's CodeGroup logs this once when it hydrates (a CodeBlock's mounted
// hook calls the group's loadTabs before the group has any tabs). It happens on
// hand-written pages too, so it is the one console error a page may have.
const ALLOWED_CONSOLE_ERROR = "Cannot read properties of undefined (reading 'elm')";

// ---------------------------------------------------------------- reporting

const tally = new Map(); // check name → { passed, failed }
let failed = 0;

/** Records one check. `detail` says what was seen vs expected when it fails. */
function check(where, name, ok, detail = '') {
  const t = tally.get(name) ?? { passed: 0, failed: 0 };
  tally.set(name, t);
  if (ok) {
    t.passed++;
  } else {
    t.failed++;
    failed++;
    console.log(`FAIL ${where} [${name}] ${detail}`);
  }
  return ok;
}

const show = (s, max = 120) => JSON.stringify(s.length > max ? s.slice(0, max) + '…' : s);
const loose = (s) => s.replace(/\s+/g, ' ').trim();
/** A pattern matching exactly `text`, give or take surrounding blanks. */
const exactly = (text, flags) => new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`, flags);
const withoutFinalNewline = (s) => s.replace(/\n$/, '');

/** A failure of the harness itself (a time-out, say): its message and Playwright's call log. */
const harnessFailure = (e) => `the check itself failed: ${e.message.replace(/\x1b\[[0-9;]*m/g, '').split('\n').slice(0, 4).join(' / ')}`;

/** Where two texts first differ, for a readable failure message. */
function difference(seen, expected) {
  const a = seen.split('\n');
  const b = expected.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      return `line ${i + 1}: saw ${a[i] === undefined ? '(end of text)' : show(a[i])}, expected ${b[i] === undefined ? '(end of text)' : show(b[i])} (${a.length} vs ${b.length} lines)`;
    }
  }
  return 'texts differ'; // only in a trailing newline, which is not compared
}

// ---------------------------------------------------------------- browser

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
context.setDefaultTimeout(10_000);
// Only the loopback server is reachable: anything else (Redoc's web fonts and
// logo, say) is refused at once instead of waiting for a network time-out.
await context.route('**/*', (route) => {
  const { protocol, hostname } = new URL(route.request().url());
  return ['data:', 'blob:'].includes(protocol) || hostname === '127.0.0.1' ? route.continue() : route.abort();
});

/** Opens a page that records its console errors, page errors and failed requests. */
async function openPage() {
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (m) => m.type() === 'error' && page.errors.push(`console error: ${m.text()}`));
  page.on('pageerror', (e) => page.errors.push(`page error: ${e.message}`));
  // (ERR_ABORTED is a request the browser cancelled, e.g. a prefetch when the harness navigates away.)
  page.on('requestfailed', (r) => r.failure()?.errorText !== 'net::ERR_ABORTED' && page.errors.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => r.status() >= 400 && page.errors.push(`HTTP ${r.status()}: ${r.url()}`));
  return page;
}

const screenshots = join(out, 'screenshots');

// ---------------------------------------------------------------- VuePress pages

/** All .md files under dir, as paths relative to it, index.md first. */
function markdownFiles(dir, prefix = '') {
  const files = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = posix.join(prefix, entry.name);
    if (entry.isDirectory()) files.push(...markdownFiles(dir, rel));
    else if (entry.name.endsWith('.md')) files.push(rel);
  }
  return files.sort((a, b) => (a === 'index.md' ? -1 : b === 'index.md' ? 1 : 0));
}

/** The URL path VuePress gives a Markdown file: foo/bar.md → /base/foo/bar.html, foo/index.md → /base/foo/. */
const urlPath = (base, rel) => base + rel.replace(/(^|\/)(index|README)\.md$/i, '$1').replace(/\.md$/, '.html');

/** Waits until Vue has hydrated the page and its client-only code groups have rendered. */
async function settle(page, codeGroups) {
  await page.waitForFunction(() => document.querySelector('#app')?.__vue__, null, { timeout: 10_000 }).catch(() => {});
  if (codeGroups > 0) {
    await page
      .waitForFunction((n) => document.querySelectorAll('.theme-code-group__nav-tab').length >= n, codeGroups, { timeout: 5_000 })
      .catch(() => {}); // the code-group checks say what is missing
  }
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

const isNotFound = (page) =>
  page.evaluate(() => [...document.querySelectorAll('.theme-default-content > h1')].some((h) => h.textContent.trim() === '404'));

async function checkPage(server, set, rel) {
  const where = `${set.name}/${rel}`;
  let md;
  try {
    md = parsePage(readFileSync(join(set.expect, rel), 'utf8'));
  } catch (e) {
    check(where, 'source', false, `cannot read the expected Markdown: ${e.message}`);
    return;
  }
  const path = urlPath(set.base, rel);
  const page = await openPage();
  const response = await page.goto(server.url + path, { waitUntil: 'networkidle' });
  check(where, 'loads', response?.status() === 200, `GET ${path} answered ${response?.status()}`);
  const expectedTabs = md.groups.reduce((n, g) => n + g.blocks.length, 0);
  await settle(page, expectedTabs);

  const shot = join(screenshots, set.name, rel.replace(/\.md$/, '.png'));
  mkdirSync(dirname(shot), { recursive: true });
  await page.screenshot({ path: shot, fullPage: true });

  // Title: VuePress titles a page "<page title> | <site title>", the page title
  // being the first heading. The sidebar entry shows the same page title.
  const heading = md.title;
  if (check(where, 'heading', heading !== null, 'the Markdown has no "# " heading')) {
    const expectedTitle = `${heading} | ${manifest.title}`;
    const title = await page.title();
    check(where, 'title', title === expectedTitle, `document.title is ${show(title)}, expected ${show(expectedTitle)}`);
    const links = await page.$$eval('.sidebar a.sidebar-link.active', (as) => as.filter((a) => !a.hash).map((a) => a.textContent.trim()));
    check(
      where,
      'sidebar',
      links.length === 1 && links[0] === heading,
      links.length === 0 ? 'no active sidebar link' : `active sidebar link reads ${links.map((l) => show(l)).join(', ')}, expected ${show(heading)}`,
    );
  }

  // Tables: same header cells and rows (compared loosely, as text).
  const tables = await page.$$eval('.theme-default-content table', (ts) =>
    ts.map((t) => ({
      header: [...t.querySelectorAll('thead th')].map((c) => c.innerText),
      rows: [...t.querySelectorAll('tbody tr')].map((r) => [...r.cells].map((c) => c.innerText)),
    })),
  );
  check(where, 'tables', tables.length === md.tables.length, `${tables.length} <table> rendered, the Markdown has ${md.tables.length}`);
  md.tables.forEach((want, i) => {
    const seen = tables[i];
    if (!seen) return;
    const at = `${where}:${want.line}`;
    const header = seen.header.map(loose);
    check(at, 'table header', header.join(' | ') === want.header.join(' | '), `header is ${show(header.join(' | '))}, expected ${show(want.header.join(' | '))}`);
    if (check(at, 'table rows', seen.rows.length === want.rows.length, `${seen.rows.length} rows rendered, the Markdown has ${want.rows.length}`)) {
      want.rows.forEach((row, r) => {
        const cells = seen.rows[r].map(loose);
        check(`${where}:${want.line + 2 + r}`, 'table cells', cells.join(' | ') === row.join(' | '), `row reads ${show(cells.join(' | '))}, expected ${show(row.join(' | '))}`);
      });
    }
  });

  // Code groups: each tab, once clicked, shows exactly its fenced code.
  const groups = page.locator('.theme-default-content .theme-code-group');
  const groupCount = await groups.count();
  check(where, 'code groups', groupCount === md.groups.length, `${groupCount} code groups rendered, the Markdown has ${md.groups.length}`);
  for (let g = 0; g < Math.min(groupCount, md.groups.length); g++) {
    const want = md.groups[g];
    const group = groups.nth(g);
    const tabs = group.locator('.theme-code-group__nav-tab');
    const titles = (await tabs.allTextContents()).map((t) => t.trim());
    const wantTitles = want.blocks.map((b) => b.title);
    const at = `${where}:${want.line}`;
    check(at, 'code tabs', titles.join(' | ') === wantTitles.join(' | '), `tabs read ${show(titles.join(' | '))}, expected ${show(wantTitles.join(' | '))}`);
    const visible = () => group.evaluate((el) => [...el.querySelectorAll(':scope > .theme-code-block')].flatMap((b, i) => (b.checkVisibility() ? [i] : [])));
    const initially = want.blocks.findIndex((b) => b.active);
    const shown = await visible();
    check(at, 'code tabs', shown.length === 1 && shown[0] === Math.max(initially, 0), `before any click, block(s) [${shown}] show, expected [${Math.max(initially, 0)}] (the "active" one)`);
    for (let b = 0; b < want.blocks.length; b++) {
      const block = want.blocks[b];
      const blockAt = `${where}:${block.line} "${block.title}"`;
      if (b >= titles.length) {
        check(blockAt, 'code block', false, 'no tab for this block');
        continue;
      }
      await tabs.nth(b).click();
      const now = await visible();
      if (!check(blockAt, 'code block', now.length === 1 && now[0] === b, `after clicking tab ${b + 1}, block(s) [${now}] show, expected [${b}]`)) continue;
      const code = await group.evaluate((el, i) => {
        const shownBlock = el.querySelectorAll(':scope > .theme-code-block')[i];
        return (shownBlock.querySelector('pre') ?? shownBlock).innerText;
      }, b);
      const seen = withoutFinalNewline(code);
      const expected = withoutFinalNewline(block.code);
      check(blockAt, 'code block', seen === expected, difference(seen, expected));
    }
  }

  // No console errors but the known CodeGroup one; collected since the page opened.
  const errors = page.errors.filter((e) => !e.includes(ALLOWED_CONSOLE_ERROR));
  check(where, 'console', errors.length === 0, errors.map((e) => show(e, 300)).join('; '));

  // Internal links: each lands, by a reader's click, on the page it names, and
  // that page also loads directly.
  const errorsBeforeLinks = page.errors.length;
  const internal = md.links.filter((l) => !/^[a-z][a-z0-9+.-]*:/i.test(l.href) && !l.href.startsWith('#'));
  for (const link of internal) {
    const at = `${where}:${link.line} [${link.text}](${link.href})`;
    const [target] = link.href.split('#');
    const wantPath = urlPath('/', posix.normalize(posix.join(posix.dirname(rel), target))).replace(/^\//, set.base);
    if (page.url() !== server.url + path) {
      await page.goto(server.url + path, { waitUntil: 'networkidle' });
      await settle(page, 0);
    }
    const anchors = page.locator('.theme-default-content a').filter({ hasText: exactly(link.text) });
    if (!check(at, 'links', (await anchors.count()) > 0, `no link reading ${show(link.text)} on the page`)) continue;
    await anchors.first().click();
    const landed = await page
      .waitForURL((u) => u.pathname === wantPath, { timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    await settle(page, 0); // a link to an unknown page is a full page load, of the 404 page
    const landedPath = new URL(page.url()).pathname;
    if (!check(at, 'links', landed, `clicking it went to ${landedPath}, expected ${wantPath}`)) continue;
    if (!check(at, 'links', !(await isNotFound(page)), `${wantPath} shows the 404 page`)) continue;
    const direct = await page.request.get(server.url + wantPath);
    check(at, 'links', direct.status() === 200, `GET ${wantPath} answered ${direct.status()}`);
  }
  const linkErrors = page.errors.slice(errorsBeforeLinks).filter((e) => !e.includes(ALLOWED_CONSOLE_ERROR));
  if (internal.length) check(where, 'console', linkErrors.length === 0, `while following links: ${linkErrors.map((e) => show(e, 300)).join('; ')}`);

  await page.close();
}

// ---------------------------------------------------------------- Redoc

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
// The samples panel's header holds two drop-down menus: "METHOD /path" (the
// servers), then the language.
const PANEL_HEADER_MENUS = '[data-component-name="Panel/PanelHeader"] > [data-testid=dropdown]';

/** Reads an element's text once the (lazily rendered) element has some. */
/** The locator's text once `done(text)` holds, or after 5 s its last text. */
async function settledText(locator, done) {
  let text = await textOf(locator);
  for (let i = 0; i < 50 && !done(text); i++) {
    await locator.page().waitForTimeout(100);
    text = (await locator.innerText()).trim();
  }
  return text;
}

async function textOf(locator) {
  await locator.waitFor();
  for (let i = 0; i < 50; i++) {
    const text = (await locator.innerText()).trim();
    if (text) return text;
    await locator.page().waitForTimeout(100);
  }
  return '';
}

// Redoc CE 3 (what @redocly/cli 2.x builds) shows an operation's samples in a
// "Request samples" panel whose language is picked from a drop-down menu.
async function checkRedoc(server, set) {
  const where = `${set.name}/redoc`;
  let spec;
  try {
    spec = JSON.parse(readFileSync(join(set.expect, 'openapi.json'), 'utf8'));
  } catch (e) {
    check(where, 'redoc', false, `cannot read the expected openapi.json: ${e.message}`);
    return;
  }
  const page = await openPage();
  await page.setViewportSize({ width: 1280, height: 1000 });
  const response = await page.goto(`${server.url}/${set.name}.html`, { waitUntil: 'networkidle' });
  if (!check(where, 'redoc', response?.status() === 200, `GET /${set.name}.html answered ${response?.status()}`)) return;

  const operations = Object.entries(spec.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] })),
  );

  // Tags start folded behind a "+ Show" button that appears once React has
  // hydrated the prerendered page; unfolding one tag folds the others, and
  // a tag's operations render as they are scrolled to. So: wait for the
  // buttons, then unfold each tag in turn, scroll through, and read the
  // sections shown. Each operation's section is found by the "METHOD /path"
  // its samples panel shows (by id: Redoc re-renders, so "the i-th section"
  // may change meaning); one with two tags is shown under each.
  const tagsWithButtons = async () =>
    page.evaluate(() =>
      [...document.querySelectorAll('button')]
        .filter((b) => b.textContent.trim() === '+ Show')
        .map((b) => b.closest('[id]')?.id)
        .filter(Boolean),
    );
  let tags = [];
  for (let i = 0; i < 30 && tags.length === 0; i++) {
    tags = await tagsWithButtons();
    if (tags.length === 0) await page.waitForTimeout(100);
  }
  const sections = new Map();
  const read = new Set();
  const checked = new Set();
  // A tag nested in another (OpenAPI 3.2's `parent`) has its own button,
  // shown once its parent is unfolded: it is unfolded next, while the
  // parent still is.
  const queue = [null, ...tags];
  const seen = new Set(tags);
  while (queue.length > 0) {
    const tag = queue.shift();
    if (tag) {
      // By the button's own section: a tag's id (`type`) may also be another element's.
      await page.evaluate((id) => {
        const buttons = [...document.querySelectorAll('button')].filter((b) => b.textContent.trim() === '+ Show');
        buttons.find((b) => b.closest('[id]')?.id === id)?.click();
      }, tag);
      await page.waitForTimeout(300);
    }
    // Scroll through (wrapping at the end) until no new section has
    // appeared for a while: a tag's operations render as they come into view.
    await page.evaluate(() => window.scrollTo(0, 0));
    let [count, still] = [0, 0];
    for (let i = 0; i < 200 && still < 8; i++) {
      const now = await page.evaluate(() => {
        if (window.innerHeight + window.scrollY >= document.documentElement.scrollHeight) window.scrollTo(0, 0);
        else window.scrollBy(0, window.innerHeight);
        return document.querySelectorAll('[data-item-kind=httpItem]').length;
      });
      [count, still] = now > count ? [now, 0] : [count, still + 1];
      await page.waitForTimeout(100);
    }
    const ids = await page.$$eval('[data-item-kind=httpItem]', (els) => els.map((e) => e.id));
    for (const id of ids.filter((id) => !read.has(id))) {
      const section = page.locator(`[id="${id.replace(/["\\]/g, '\\$&')}"]`);
      await section.scrollIntoViewIfNeeded();
      const panel = section.locator('.panel-request-samples');
      const found = await panel.waitFor({ timeout: 5_000 }).then(() => true, () => false);
      if (!found) continue;
      // A webhook's section shows its payload's sample but no endpoint to read.
      const header = panel.locator(PANEL_HEADER_MENUS).first().locator(':scope > button');
      if ((await header.count()) === 0) continue;
      read.add(id);
      const endpoint = loose(await textOf(header));
      if (!sections.has(endpoint)) sections.set(endpoint, section);
    }
    const nested = (await tagsWithButtons()).filter((id) => !seen.has(id));
    nested.forEach((id) => seen.add(id));
    queue.unshift(...nested);
    // Check what this tag shows now: unfolding the next one folds it.
    for (const { path, method, op } of operations) {
      const endpoint = `${method.toUpperCase()} ${path}`;
      if (checked.has(endpoint) || !sections.has(endpoint)) continue;
      checked.add(endpoint);
      await checkRedocOperation(where, page, sections, path, method, op).catch((e) =>
        check(`${where} ${endpoint}`, 'harness', false, harnessFailure(e)),
      );
    }
  }
  // What no tag showed fails here, naming what was found.
  for (const { path, method, op } of operations.filter((o) => !checked.has(`${o.method.toUpperCase()} ${o.path}`))) {
    await checkRedocOperation(where, page, sections, path, method, op).catch((e) =>
      check(`${where} ${method.toUpperCase()} ${path}`, 'harness', false, harnessFailure(e)),
    );
  }

  // Redoc's requests for fonts and its logo go to the Internet, which is not
  // reachable here (and refused by the route above): those failures don't count.
  const offline = (e) => /^request failed: https?:\/\/(?!127\.0\.0\.1[:/])/.test(e) || e === 'console error: Failed to load resource: net::ERR_FAILED';
  const errors = page.errors.filter((e) => !offline(e));
  check(where, 'redoc errors', errors.length === 0, errors.map((e) => show(e, 300)).join('; '));
  const shot = join(screenshots, 'redoc', `${set.name}.png`);
  mkdirSync(dirname(shot), { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: shot, fullPage: true });
  await page.close();
}

/** Checks one operation's language menu and each of its x-codeSamples in Redoc. */
async function checkRedocOperation(where, page, sections, path, method, op) {
  const samples = op['x-codeSamples'] ?? [];
  const opAt = `${where} ${method.toUpperCase()} ${path}`;
  const section = sections.get(`${method.toUpperCase()} ${path}`);
  if (!check(opAt, 'redoc operation', Boolean(section), `no operation section showing ${method.toUpperCase()} ${path}; found ${[...sections.keys()].join(', ')}`)) return;
  if (samples.length === 0) return;
  await section.scrollIntoViewIfNeeded();
  const panel = section.locator('.panel-request-samples');
  const picker = panel.locator(PANEL_HEADER_MENUS).last(); // (an "Example" menu may follow, in the panel's body)
  const button = picker.locator(':scope > button');
  await textOf(button);
  const menu = page.locator('[role=menu]:visible'); // the open menu is put at the end of <body>
  const items = menu.locator('[role=menuitem]');
  const openMenu = async () => {
    // The menu opens downwards: keep the button high enough for all of it to fit.
    await button.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    if (!(await menu.isVisible())) await button.click();
    await items.first().waitFor({ state: 'visible' });
  };
  await openMenu();
  const offered = (await items.allInnerTexts()).map(loose);
  // Redoc shows its own label for a language it knows (e.g. "curl" for "Curl"),
  // so labels are matched without regard to case.
  const label = (s) => s.label ?? s.lang;
  const missing = samples.filter((s) => !offered.some((o) => o.toLowerCase() === label(s).toLowerCase()));
  check(opAt, 'redoc languages', missing.length === 0, `no ${missing.map((s) => show(label(s))).join(', ')} in the language menu, which offers ${show(offered.join(', '))}`);
  for (const sample of samples) {
    if (missing.includes(sample)) continue;
    const at = `${opAt} "${label(sample)}"`;
    await openMenu();
    await items.filter({ hasText: exactly(label(sample), 'i') }).first().click();
    await page.waitForFunction(([el, want]) => el.textContent.trim().toLowerCase() === want, [await button.elementHandle(), label(sample).toLowerCase()]);
    // The button's label changes before the panel shows the new sample's
    // code: wait (a while) for the code to be the sample's, then compare.
    const expected = withoutFinalNewline(sample.source);
    const code = await settledText(panel.locator('pre[data-testid=source-code]'), (text) => withoutFinalNewline(text) === expected)
      .catch(() => '(no code shown)');
    const seen = withoutFinalNewline(code);
    check(at, 'redoc sample', seen === expected, difference(seen, expected));
  }
}

// ---------------------------------------------------------------- main

const site = await serve(join(manifest.site, '.vuepress', 'dist'));
const redoc = withRedoc ? await serve(join(out, 'redoc')) : null;
try {
  for (const set of manifest.sets) {
    for (const rel of markdownFiles(join(manifest.site, set.name))) {
      const before = failed;
      await checkPage(site, set, rel).catch((e) => check(`${set.name}/${rel}`, 'harness', false, harnessFailure(e)));
      console.log(`${failed === before ? 'ok  ' : 'bad '} ${set.name}/${rel}`);
    }
    if (redoc) {
      const before = failed;
      await checkRedoc(redoc, set).catch((e) => check(`${set.name}/redoc`, 'harness', false, harnessFailure(e)));
      console.log(`${failed === before ? 'ok  ' : 'bad '} ${set.name}/openapi.json in Redoc`);
    }
  }
} finally {
  await browser.close();
  await site.close();
  await redoc?.close();
}

console.log('\nchecks:');
for (const [name, t] of tally) console.log(`  ${name.padEnd(16)} ${t.passed} passed, ${t.failed} failed`);
console.log(`screenshots: ${relative(process.cwd(), screenshots) || '.'}/`);
const passed = [...tally.values()].reduce((n, t) => n + t.passed, 0);
console.log(`docs-site: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
