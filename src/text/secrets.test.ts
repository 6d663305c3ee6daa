import { describe, expect, it } from 'vitest';
import { credentialForms, urlCredentials } from './secrets.js';

/** What a URL's credentials are, read by parsing it whatever it looks like. */
function parsedCredentials(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  const out: string[] = [];
  if (parsed.username || parsed.password) {
    out.push(...credentialForms(decodeURIComponent(parsed.username), decodeURIComponent(parsed.password)));
    if (parsed.password.length >= 4) out.push(parsed.password);
  }
  const fromQuery = parsed.searchParams.get('password');
  if (fromQuery) out.push(fromQuery);
  return out;
}

describe('credentials inside URLs', () => {
  it('finds user-info and a password parameter, as written or encoded, and nothing in a URL without them', () => {
    const urls = [
      'http://127.0.0.1:8080/ok/42',
      'https://example.com/health?x=1',
      'https://user:s3cret@example.com/',
      'https://averyveryverylongtoken@example.com/',
      'postgres://app:p%21ss@127.0.0.1/db',
      'https://example.com/?password=hunter22',
      'https://example.com/?pass%77ord=hunter22',
      'https://example.com/?a=1&password=x%20y',
      'https://example.com/#password=inthefragment',
      'https://example.com/path%40x?q=%40',
      'http://u:p@',
      'not a url @ all',
      'https://example.com/?PASSWORD=upper',
    ];
    for (const url of urls) expect(urlCredentials(url), url).toEqual(parsedCredentials(url));
    expect(urlCredentials('https://user:s3cret@example.com/')).toContain('s3cret');
    expect(urlCredentials('https://example.com/?pass%77ord=hunter22')).toEqual(['hunter22']);
    expect(urlCredentials('http://127.0.0.1:8080/ok/42')).toEqual([]);
  });
});
