// HTML → Markdown of the native deck format: the fast path and turndown agree on what matters.
import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToMarkdown } from '../../src/core/import/html.js';
import { escapeBlock, foreignId, slug } from '../../src/core/import/render.js';
import { safeMediaName } from '../../src/core/import/media.js';

const md = (html: string) => htmlToMarkdown(html, { media: (s) => `media/${s}` });

describe('htmlToMarkdown', () => {
  it('converts what Anki\'s editor writes', () => {
    expect(md('<b>bold</b> and <i>italic</i>')).toBe('**bold** and *italic*');
    expect(md('<b> spaced </b>x')).toBe('**spaced** x');
    expect(md('one<br>two<br/>three')).toBe('one\\\ntwo\\\nthree');
    expect(md('<div>line one</div><div>line two</div>')).toBe('line one\n\nline two');
    expect(md('Tom &amp; Jerry&nbsp;&lt;3 &eacute;')).toBe('Tom & Jerry <3 é');
    expect(md('<img src="a b.png" alt="x">')).toBe('![x](<media/a b.png>)');
    expect(md('<img src="data:image/png;base64,AAAA">')).toBe('*[image]*');
    expect(md('<span style="color:red">red</span> <font color=blue>blue</font>')).toBe('red blue');
    expect(md('a_b *c* [d]')).toBe('a\\_b \\*c\\* \\[d\\]');
    expect(md('<a href="https://x.org">link</a>')).toBe('[link](https://x.org)');
    expect(md('<script>alert(1)</script>safe')).toBe('safe');
  });

  it('uses turndown for lists, tables, code and headings (headings become bold)', () => {
    expect(md('<ul><li>a</li><li>b</li></ul>')).toBe('- a\n- b');
    expect(md('<ol><li>a</li><li>b</li></ol>')).toBe('1. a\n2. b');
    expect(md('<h2>Title</h2><p>text</p>')).toBe('**Title**\n\ntext');
    expect(md('<pre><code>x = 1\n</code></pre>')).toBe('```\nx = 1\n```');
  });

  it('keeps LaTeX as math and escapes lone dollars', () => {
    expect(md('[$]x_1 &lt; y[/$] and [$$]\\sum_i[/$$]')).toBe('$x_1 < y$ and $$\\sum_i$$');
    expect(md('\\(\\alpha<br>\\beta\\) \\[E=mc^2\\]')).toBe('$\\alpha \\beta$ $$E=mc^2$$');
    expect(md('costs $5 and <b>$6</b>')).toBe('costs \\$5 and **\\$6**');
    expect(md('{{c1::\\(x^2\\)::hint}}')).toBe('{{c1::$x^2$::hint}}');
  });

  it('turns sound tags into links', () => {
    expect(md('[sound:hola.mp3]')).toBe('[🔊 hola.mp3](media/hola.mp3)');
  });

  it('decodes entities', () => {
    expect(decodeEntities('&#x41;&#66;&hellip;&unknown;')).toBe('AB…&unknown;');
  });
});

describe('deck file helpers', () => {
  it('escapes lines that the deck parser would read as structure', () => {
    expect(escapeBlock('Q: not a card\n# not a heading\n---\n<!-- id: x -->\n```exercise\nx')).toBe(
      '\\Q: not a card\n\\# not a heading\n\\---\n\\<!-- id: x -->\n```text\nx\n```');
    expect(escapeBlock('```\nQ: inside code\n```')).toBe('```\nQ: inside code\n```');
  });

  it('makes ids and file names from foreign names', () => {
    expect(foreignId('anki', 'jxp]BIPq+}')).toBe('anki-jxp_5dBIPq_2b_7d');
    expect(foreignId('anki', 'ab')).not.toBe(foreignId('anki', 'AB'));
    expect(foreignId('anki', 'ключ')).toMatch(/^anki-h[0-9a-f]{24}$/);
    expect(slug("Mirage's Deck::HSC::CS2")).toBe('Mirage-s-Deck__HSC__CS2');
    expect(slug('Abstraktní umění')).toBe('Abstraktní-umění');
  });

  it('refuses media names that leave the folder', () => {
    for (const bad of ['../x.png', '/etc/passwd', 'a/b.png', 'a\\b.png', 'C:\\x.png', '..', '.', '']) expect(safeMediaName(bad)).toBeNull();
    expect(safeMediaName('ok.png')).toBe('ok.png');
    expect(safeMediaName('.hidden')).toBe('_hidden');
    expect(safeMediaName('deck.md')).toBe('deck.md_');
    expect(safeMediaName('what?.png')).toBe('what_.png');
  });
});
