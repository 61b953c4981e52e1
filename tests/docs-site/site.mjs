// Assembles a minimal VuePress 1 site out of the docs sets, as a user would:
//
//   OUT/site/NAME/...            a copy of each docs set, served under /NAME/
//   OUT/site/README.md           a home page linking to each set
//   OUT/site/.vuepress/config.js the default theme, a site title, a sidebar per set
//   OUT/manifest.json            what check.mjs needs: the title and the sets
//
// usage: node site.mjs --out OUT --title TITLE --docs NAME=DIR... [--expect NAME=DIR...]
//
// --expect NAME=DIR makes check.mjs read what it expects for set NAME from DIR
// instead of from the folder that was built (used to show the checks can fail).
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { sidebarFromIndex } from './markdown.mjs';

const require = createRequire(import.meta.url);

function parseArgs(argv) {
  const args = { out: null, title: null, sets: [], expect: {} };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[++i];
    if (value === undefined) throw new Error(`${argv[i - 1]} needs a value`);
    const pair = () => {
      const m = value.match(/^([A-Za-z0-9_-]+)=(.+)$/);
      if (!m) throw new Error(`${argv[i - 1]} wants NAME=DIR, got ${value}`);
      return [m[1], resolve(m[2])];
    };
    switch (argv[i - 1]) {
      case '--out': args.out = resolve(value); break;
      case '--title': args.title = value; break;
      case '--docs': { const [name, dir] = pair(); args.sets.push({ name, dir }); break; }
      case '--expect': { const [name, dir] = pair(); args.expect[name] = dir; break; }
      default: throw new Error(`unknown argument ${argv[i - 1]}`);
    }
  }
  if (!args.out || !args.title || args.sets.length === 0) throw new Error('need --out, --title and at least one --docs');
  return args;
}

/** The set's sidebar: its own sidebar.js if it ships one, else its index.md's links. */
function sidebarFor({ name, dir }, base) {
  const script = join(dir, 'sidebar.js');
  let sidebar;
  if (existsSync(script)) {
    const make = require(script);
    if (typeof make !== 'function') throw new Error(`${script} must export a function (base) => sidebar`);
    sidebar = make(base);
    if (!Array.isArray(sidebar)) throw new Error(`${script} returned ${typeof sidebar}, not an array`);
  } else {
    sidebar = sidebarFromIndex(readFileSync(join(dir, 'index.md'), 'utf8'), base, (file) => existsSync(join(dir, file)));
  }
  // Every page, the index included, must have a sidebar entry to be checked,
  // so a sidebar that leaves the index out gets it on top.
  const pathOf = (item) => (typeof item === 'string' ? item : Array.isArray(item) ? item[0] : item.path);
  const isIndex = (path) => typeof path === 'string' && path.replace(/(index|README)(\.md|\.html)?$/i, '') === base;
  const listsIndex = (items) => items.some((it) => isIndex(pathOf(it)) || listsIndex(it.children ?? []));
  if (!listsIndex(sidebar)) sidebar = [base, ...sidebar];
  return sidebar;
}

const args = parseArgs(process.argv.slice(2));
const siteDir = join(args.out, 'site');
rmSync(siteDir, { recursive: true, force: true });
mkdirSync(join(siteDir, '.vuepress'), { recursive: true });

const sidebar = {};
const manifest = { title: args.title, site: siteDir, sets: [] };
for (const set of args.sets) {
  if (!existsSync(join(set.dir, 'index.md'))) throw new Error(`docs set ${set.name}: no index.md in ${set.dir}`);
  const base = `/${set.name}/`;
  cpSync(set.dir, join(siteDir, set.name), { recursive: true });
  sidebar[base] = sidebarFor(set, base);
  // By default the expectations come from the copy that was built, not from
  // the source folder, which may change while the check runs.
  const expect = args.expect[set.name] ?? join(siteDir, set.name);
  manifest.sets.push({ name: set.name, base, built: set.dir, expect });
}

const config = {
  title: args.title,
  themeConfig: { sidebar },
};
writeFileSync(
  join(siteDir, '.vuepress', 'config.js'),
  `// Written by tests/docs-site/site.mjs: the default theme, one sidebar per docs set.\n` +
    `module.exports = ${JSON.stringify(config, null, 2)};\n`,
);
writeFileSync(
  join(siteDir, 'README.md'),
  `# ${args.title}\n\n` + args.sets.map((s) => `- [${s.name}](./${s.name}/)\n`).join(''),
);
writeFileSync(join(args.out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`assembled ${siteDir}: ${args.sets.map((s) => `/${s.name}/ ← ${s.dir}`).join(', ')}`);
