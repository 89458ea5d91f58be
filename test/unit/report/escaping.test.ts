import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildReport } from '../../../reports/index.js';
import { serializeForScript } from '../../../reports/render.js';
import { makeFakeRun } from './make-run.js';

const EVIL_CATEGORY = `<script>alert("cat")</script> & 'q'`;
const EVIL_CONFIG = `</script><script>alert(1)</script><!-- & "x"`;
const EVIL_DEFECT = `<i>&"crack`;

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('serializeForScript', () => {
  it('cannot close its script element or open a comment, and parses back to the same value', () => {
    const value = { a: '</script><!-- & \u2028', b: [1, 2] };
    const text = serializeForScript(value);
    assert.doesNotMatch(text, /<\/script|<!--|[<>&\u2028]/i);
    assert.deepEqual(JSON.parse(text), value);
  });
});

describe('report escaping', () => {
  it('shows names, config values and file names with markup characters as text, never as markup', async () => {
    const run = makeFakeRun({
      name: `run "A" & <b>B</b>`,
      categories: [EVIL_CATEGORY],
      variants: ['full'],
      seeds: [0],
      images: true,
      defects: [EVIL_DEFECT],
      config: { note: EVIL_CONFIG },
    });
    dirs.push(run.dir);
    const out = mkdtempSync(join(tmpdir(), 'geoad-site-'));
    dirs.push(out);
    const summary = await buildReport({ run: run.dir, out, figures: false, progress: false });
    assert.deepEqual(summary.problems, []);
    for (const file of ['index.html', summary.pages[0]]) {
      const html = readFileSync(join(out, file), 'utf8');
      assert.equal((html.match(/<script/gi) ?? []).length, 3, `${file}: only the three report scripts`);
      assert.equal((html.match(/<\/script/gi) ?? []).length, 3, `${file}: no injected </script>`);
      assert.doesNotMatch(html, /<script>alert|<b>B<\/b>|<i>&/, `${file}: user text is escaped`);
      assert.ok(html.includes('&lt;script&gt;alert(&quot;cat&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;'), `${file}: category name as text`);
      assert.ok(html.includes('run &quot;A&quot; &amp; &lt;b&gt;B&lt;/b&gt;'), `${file}: run name as text`);
    }
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    assert.ok(index.includes('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!-- &amp;'), 'config value as text');
    const page = readFileSync(join(out, summary.pages[0]), 'utf8');
    assert.ok(page.includes('&lt;i&gt;&amp;&quot;crack'), 'defect folder name as text');
  });
});
