// A small, dependency-free HTML → plain-text converter for the text/plain part of an email.
// It does not build a DOM: emails are written for renderers far laxer than a parser, so it walks
// tags and text in order and only needs to know which tags break lines and which hide content.

// Content inside these is never meant for a reader.
const HIDDEN = new Set(['script', 'style', 'head', 'title', 'template', 'noscript', 'svg']);
// These start and end on their own line.
const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'center',
  'dd',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'section',
  'table',
  'tbody',
  'tfoot',
  'thead',
  'tr',
  'ul',
]);
// These are separated from what follows by a blank line.
const PARAGRAPH = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre']);
const CELL = new Set(['td', 'th']);
// Marks where a link's text starts in the output, so its target can follow the text.
const LINK_START = '\u{e000}';
// Stand-ins for spaces and tabs inside <pre>, so the final tidy-up cannot collapse or trim them.
const PRE_SPACE = '\u{e001}';
const PRE_TAB = '\u{e002}';
// Line-break requests from block boundaries: adjacent ones merge (`</li><li>` is one break, not
// two), and a paragraph request wins over a plain one. `<br>` is a literal newline instead.
const LINE_BREAK = '\u{e003}';
const PARAGRAPH_BREAK = '\u{e004}';
const BREAK_RUN = /[ \u{e003}\u{e004}]*[\u{e003}\u{e004}][ \u{e003}\u{e004}]*/gu;

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  sbquo: '‚',
  bdquo: '„',
  bull: '•',
  middot: '·',
  laquo: '«',
  raquo: '»',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  deg: '°',
  times: '×',
  divide: '÷',
  plusmn: '±',
  para: '¶',
  sect: '§',
  shy: '',
  zwnj: '',
  zwj: '',
  ensp: ' ',
  emsp: ' ',
  thinsp: ' ',
};

// A comment, a tag (with attributes in any quoting style), or a doctype/processing instruction.
const TOKEN =
  /<!--[\s\S]*?(?:-->|$)|<(\/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>]+))?)*)\s*\/?>|<![^<>]*>|<\?[^<>]*>/g;
const LOOKS_LIKE_HTML = /<\/?[A-Za-z][^<>]*>/;
const ATTRIBUTE = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>]+)))?/g;

function codePointText(codePoint: number): string {
  const valid =
    Number.isInteger(codePoint) &&
    codePoint > 0 &&
    codePoint <= 0x10ffff &&
    !(codePoint >= 0xd800 && codePoint <= 0xdfff);
  return valid ? String.fromCodePoint(codePoint) : '\ufffd';
}

/** Decodes named (common set), decimal and hex character references; unknown names stay as written. */
export function decodeHtmlEntities(text: string): string {
  return text.replace(
    /&(#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,9}|[A-Za-z][A-Za-z0-9]{1,31});?/g,
    (whole, ref: string) => {
      if (ref.startsWith('#x') || ref.startsWith('#X')) {
        return codePointText(Number.parseInt(ref.slice(2), 16));
      }
      if (ref.startsWith('#')) return codePointText(Number.parseInt(ref.slice(1), 10));
      return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
    },
  );
}

function attributes(source: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of source.matchAll(ATTRIBUTE)) {
    const name = match[1]?.toLowerCase();
    if (name && !found.has(name)) {
      found.set(name, decodeHtmlEntities(match[2] ?? match[3] ?? match[4] ?? ''));
    }
  }
  return found;
}

function tidy(text: string): string {
  return text
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * The readable text of an HTML email body: tags stripped, entities decoded, line breaks kept for
 * block elements and `<br>`, script/style/head content dropped, link targets written after their
 * text. A body without any tag is taken as plain text and keeps its own line breaks.
 */
export function htmlToText(html: string): string {
  const source = html.replace(/\r\n?/g, '\n');
  if (!LOOKS_LIKE_HTML.test(source)) return tidy(decodeHtmlEntities(source));

  const out: string[] = [];
  const links: (string | null)[] = [];
  let hiddenTag: string | null = null;
  let preDepth = 0;
  let cursor = 0;

  const text = (raw: string) => {
    if (hiddenTag !== null || raw === '') return;
    if (preDepth > 0) {
      out.push(decodeHtmlEntities(raw).replaceAll(' ', PRE_SPACE).replaceAll('\t', PRE_TAB));
    } else {
      // Outside <pre>, source whitespace (newlines included) is layout, not content.
      out.push(decodeHtmlEntities(raw.replace(/[ \t\n\f]+/g, ' ')));
    }
  };

  for (const match of source.matchAll(TOKEN)) {
    text(source.slice(cursor, match.index));
    cursor = match.index + match[0].length;
    const name = match[2]?.toLowerCase();
    if (name === undefined) continue; // comment, doctype or processing instruction
    const closing = match[1] === '/';

    if (hiddenTag !== null) {
      if (closing && name === hiddenTag) hiddenTag = null;
      continue;
    }
    if (HIDDEN.has(name)) {
      if (!closing && !match[0].endsWith('/>')) hiddenTag = name;
      continue;
    }
    if (name === 'br') out.push('\n');
    else if (BLOCK.has(name)) out.push(LINE_BREAK, !closing && name === 'li' ? '- ' : '');
    else if (PARAGRAPH.has(name)) {
      out.push(PARAGRAPH_BREAK);
      if (name === 'pre') preDepth = Math.max(0, preDepth + (closing ? -1 : 1));
    } else if (CELL.has(name) && closing) out.push(' ');
    else if (name === 'img' && !closing) {
      const alt = attributes(match[3] ?? '')
        .get('alt')
        ?.trim();
      if (alt) out.push(alt);
    } else if (name === 'a') {
      if (!closing) {
        const href =
          attributes(match[3] ?? '')
            .get('href')
            ?.trim() ?? '';
        links.push(/^(https?:|mailto:)/i.test(href) ? href : null);
        out.push(LINK_START);
      } else if (links.length > 0) {
        closeLink(out, links.pop() ?? null);
      }
    }
  }
  text(source.slice(cursor));
  while (links.length > 0) closeLink(out, links.pop() ?? null);
  const joined = out
    .join('')
    .replaceAll(LINK_START, '')
    .replace(BREAK_RUN, (run) => (run.includes(PARAGRAPH_BREAK) ? '\n\n' : '\n'));
  return tidy(joined).replaceAll(PRE_SPACE, ' ').replaceAll(PRE_TAB, '\t');
}

// Appends " (href)" unless the link text already says it (a bare URL, or mailto:x shown as x).
function closeLink(out: string[], href: string | null): void {
  const start = out.lastIndexOf(LINK_START);
  const shown = out
    .slice(start + 1)
    .join('')
    .trim();
  if (start !== -1) out.splice(start, 1);
  if (href === null) return;
  const bare = href.replace(/^mailto:/i, '');
  if (shown === '') out.push(href);
  else if (shown !== href && shown !== bare) out.push(` (${href})`);
}
