// Reads what a reader should see out of a generated Markdown page.
//
// Deliberately small and line-based: it understands just the Markdown the
// generator writes (ATX headings, fenced code, pipe tables, inline links and
// the <code-group>/<code-block> components), and it reads it the way the
// CommonMark/GFM spec does, not the way VuePress happens to, so that a
// difference between the two shows up as a failed check.

/** Decodes the HTML entities the pages write: the few named ones, and the
 * numeric ones of a `<code v-pre>` span (its `|` and `:`, in a table cell). */
function unescapeHtml(s) {
  return s
    .replace(/&#(\d+);/g, (_, code) => String.fromCodePoint(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Markdown inline markup → the plain text a reader sees (loosely). */
export function plainText(s) {
  // Code spans show their content as it is: set them aside first.
  const code = [];
  const text = s
    .replace(/(`+)(.*?)\1/g, (_, _ticks, content) => `\0${code.push(content.replace(/^ (.*) $/, '$1')) - 1}\0`)
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // [text](url) → text
    .replace(/(\*\*|__)(.*?)\1/g, '$2')
    .replace(/<[^>]+>/g, '') // any other inline HTML tag
    .replace(/\\([\\`*_{}[\]()#+\-.!|<>])/g, '$1'); // backslash escapes
  return unescapeHtml(text)
    .replace(/\0(\d+)\0/g, (_, i) => code[i])
    .replace(/\s+/g, ' ')
    .trim();
}

/** Splits a pipe-table row into cells the GFM way (a `\|` does not split). */
function splitRow(line) {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const cells = [];
  let cell = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && s[i + 1] === '|') {
      cell += '\\|';
      i++;
    } else if (s[i] === '|') {
      cells.push(cell);
      cell = '';
    } else {
      cell += s[i];
    }
  }
  cells.push(cell);
  // GFM takes a `\|` as a plain `|` even inside a code span.
  return cells.map((c) => plainText(c.replace(/\\\|/g, '|')));
}

const TABLE_SEPARATOR = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/**
 * Parses a page. Returns
 *   title:  the text of the first "# " heading (null if none),
 *   groups: [{ line, blocks: [{ title, active, line, code }] }] for each <code-group>,
 *   tables: [{ line, header: [cell], rows: [[cell]] }],
 *   links:  [{ text, href, line }] for each inline link outside code.
 * `code` is the fenced code exactly as written (CRs included), without its final newline.
 */
export function parsePage(source) {
  // Lines are split at LF only: a CR the generator put inside a snippet stays in
  // its expected code (VuePress, like any CommonMark renderer, turns it into a
  // line break), and the structural patterns below tolerate a CR before the LF.
  const lines = source.split('\n');
  const page = { title: null, groups: [], tables: [], links: [] };
  // Front matter (between a first line `---` and the next) is settings, not
  // content, as VuePress reads it: skip it, keeping line numbers.
  let start = 0;
  if (/^---\s*$/.test(lines[0] ?? '')) {
    const end = lines.findIndex((line, index) => index > 0 && /^---\s*$/.test(line));
    if (end > 0) start = end + 1;
  }
  let group = null;
  let block = null;

  for (let i = start; i < lines.length; i++) {
    const line = lines[i];
    let m;

    // Fenced code: skip to the closing fence; inside a <code-block> it is the block's code.
    if ((m = line.match(FENCE_OPEN)) && !(m[1][0] === '`' && m[2].includes('`'))) {
      const marker = m[1];
      const body = [];
      let j = i + 1;
      for (; j < lines.length; j++) {
        const close = lines[j].match(/^ {0,3}(`{3,}|~{3,})\s*$/);
        if (close && close[1][0] === marker[0] && close[1].length >= marker.length) break;
        body.push(lines[j]);
      }
      if (block && block.code === undefined) block.code = body.join('\n');
      i = j;
      continue;
    }

    if (/^<code-group>\s*$/.test(line)) {
      group = { line: i + 1, blocks: [] };
      page.groups.push(group);
      continue;
    }
    if (/^<\/code-group>\s*$/.test(line)) {
      group = null;
      continue;
    }
    if ((m = line.match(/^<code-block\s+title="([^"]*)"(\s+active)?\s*>\s*$/))) {
      block = { title: unescapeHtml(m[1]), active: Boolean(m[2]), line: i + 1, code: undefined };
      // A <code-block> outside any <code-group> counts as a group of its own,
      // which VuePress won't render as one: the code-group count check fails.
      if (group) group.blocks.push(block);
      else page.groups.push({ line: i + 1, blocks: [block] });
      continue;
    }
    if (/^<\/code-block>\s*$/.test(line)) {
      block = null;
      continue;
    }

    if (page.title === null && (m = line.match(/^ {0,3}# +(.*?)(\s+#+)?\s*$/))) {
      page.title = plainText(m[1]);
    }

    // A pipe table: a row of cells, then a separator row, then body rows.
    if (line.trim().startsWith('|') && i + 1 < lines.length && TABLE_SEPARATOR.test(lines[i + 1])) {
      const table = { line: i + 1, header: splitRow(line), rows: [] };
      let j = i + 2;
      for (; j < lines.length && lines[j].trim().startsWith('|'); j++) table.rows.push(splitRow(lines[j]));
      page.tables.push(table);
      for (let k = i; k < j; k++) collectLinks(lines[k], k + 1, page.links);
      i = j - 1;
      continue;
    }

    collectLinks(line, i + 1, page.links);
  }
  for (const g of page.groups) for (const b of g.blocks) b.code ??= '';
  return page;
}

function collectLinks(line, lineNo, links) {
  // A link may have code in its text, but a link-like text inside code is no link.
  const code = [...line.matchAll(/(`+)[^`]*?\1/g)].map((m) => [m.index, m.index + m[0].length]);
  for (const m of line.matchAll(/(?<!!)\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    if (code.some(([start, end]) => m.index > start && m.index < end)) continue;
    links.push({ text: plainText(m[1]), href: m[2], line: lineNo });
  }
}

/**
 * The sidebar a docs set gets when it has no sidebar.js: its index.md's links
 * in order, grouped under the index's "## " headings, behind the index itself.
 * `base` is the set's URL prefix, e.g. '/kanuu/'. A link for which `exists`
 * (given the linked file's path relative to the index) is false is left out:
 * VuePress fails the whole build on a sidebar entry without a page, and the
 * link check reports the broken link anyway.
 */
export function sidebarFromIndex(indexSource, base, exists = () => true) {
  const sidebar = [base];
  let group = null;
  let inFence = false;
  for (const line of indexSource.replace(/\r\n/g, '\n').split('\n')) {
    if (FENCE_OPEN.test(line)) inFence = !inFence;
    if (inFence) continue;
    const heading = line.match(/^## +(.*?)\s*$/);
    if (heading) {
      group = { title: plainText(heading[1]), collapsable: false, children: [] };
      sidebar.push(group);
      continue;
    }
    const found = [];
    collectLinks(line, 0, found);
    for (const { href } of found) {
      if (/^[a-z]+:|^\/|^#/i.test(href) || !/\.md(#.*)?$/.test(href)) continue; // only relative .md links
      const file = href.replace(/^\.\//, '').replace(/#.*$/, '');
      if (!exists(file)) continue;
      const path = base + file.replace(/(^|\/)(index|README)\.md$/i, '$1').replace(/\.md$/, '');
      (group ? group.children : sidebar).push(path);
    }
  }
  return sidebar.filter((item) => typeof item === 'string' || item.children.length > 0);
}
