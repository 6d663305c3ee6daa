import { describe, expect, it } from 'vitest';
import { escapeHtml, html, raw } from './html.js';

describe('html', () => {
  it('escapes every interpolated value: tags, attributes and quotes of both kinds', () => {
    const evil = `<script>alert(1)</script><img src=x onerror="alert(2)"> ' & "`;
    expect(escapeHtml(evil)).toBe('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt; &#39; &amp; &quot;');
    expect(String(html`<p title="${evil}">${evil}</p>`)).not.toMatch(/<script|<img|"alert/);
  });

  it('passes markup it built, joins arrays, leaves out null, undefined and false', () => {
    const items = ['a<b', 'c'].map((t) => html`<li>${t}</li>`);
    expect(String(html`<ul>${items}</ul>${null}${undefined}${false}${0}`)).toBe('<ul><li>a&lt;b</li><li>c</li></ul>0');
    expect(String(html`${raw('<hr>')}`)).toBe('<hr>');
  });
});
