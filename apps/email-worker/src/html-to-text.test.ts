import { describe, expect, it } from 'vitest';
import { decodeHtmlEntities, htmlToText } from './html-to-text.ts';

describe('htmlToText', () => {
  it('keeps paragraphs, headings and <br> as line breaks and collapses source whitespace', () => {
    const html = `<h1>Welcome,
      Ada</h1><p>Your   account is
      ready.<br>Sign in any time.</p><p>Thanks</p>`;
    expect(htmlToText(html)).toBe(
      'Welcome, Ada\n\nYour account is ready.\nSign in any time.\n\nThanks',
    );
  });

  it('drops script, style, head and comments entirely', () => {
    const html = `<!doctype html><html><head><title>Secret title</title>
      <style>p { color: red }</style></head><body><!-- hidden note -->
      <script>alert("x")</script><p>Visible</p><noscript>enable js</noscript></body></html>`;
    expect(htmlToText(html)).toBe('Visible');
  });

  it('decodes entities in text and attributes', () => {
    expect(htmlToText('<p>Fish &amp; chips &lt;3 &#8364;5 &#x1F600; caf&eacute;&nbsp;ok</p>')).toBe(
      'Fish & chips <3 €5 😀 caf&eacute; ok',
    );
  });

  it('writes link targets after their text unless the text already shows them', () => {
    const html =
      '<p><a href="https://example.com/reset?a=1&amp;b=2">Reset password</a> or ' +
      '<a href="https://example.com">https://example.com</a> or ' +
      '<a href="mailto:help@example.com">help@example.com</a> or ' +
      '<a href="javascript:void(0)">nothing</a></p>';
    expect(htmlToText(html)).toBe(
      'Reset password (https://example.com/reset?a=1&b=2) or https://example.com or help@example.com or nothing',
    );
  });

  it('renders lists, tables and image alt text readably', () => {
    const html =
      '<ul><li>One</li><li>Two</li></ul><table><tr><td>Total</td><td>$5</td></tr></table>' +
      '<img src="logo.png" alt="ACME logo"><img src="spacer.gif">';
    expect(htmlToText(html)).toBe('- One\n- Two\nTotal $5\nACME logo');
  });

  it('preserves whitespace inside <pre>', () => {
    expect(htmlToText('<p>Code:</p><pre>a  = 1\n  b = 2</pre><p>end</p>')).toBe(
      'Code:\n\na  = 1\n  b = 2\n\nend',
    );
  });

  it('takes a body without tags as plain text and keeps its line breaks', () => {
    expect(htmlToText('Hello Ada,\r\n\r\nYour code is 1234 &amp; expires soon.\n')).toBe(
      'Hello Ada,\n\nYour code is 1234 & expires soon.',
    );
  });

  it('treats a lone < in text as text, and returns empty for a body with no readable text', () => {
    expect(htmlToText('<p>1 < 2 and 3 > 2</p>')).toBe('1 < 2 and 3 > 2');
    expect(htmlToText('<img src="banner.png"><style>x{}</style>')).toBe('');
  });
});

describe('decodeHtmlEntities', () => {
  it('replaces invalid code points with U+FFFD and leaves unknown names alone', () => {
    expect(decodeHtmlEntities('&#0;&#xD800;&#x110000;&unknown;&AMP;')).toBe(
      '\ufffd\ufffd\ufffd&unknown;&',
    );
  });
});
