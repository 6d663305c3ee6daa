import { describe, expect, it } from 'vitest';
import { redactDeep, redactSecrets, redactUrl, redactWholeUrl } from './redact.js';
import { credentialForms, envSecrets, secretHeaderValues, urlCredentials } from './secrets.js';

describe('the redactor', () => {
  it('shows a webhook URL that is a secret by scheme and host, and its path wherever it appears alone', () => {
    const hook = 'https://hooks.slack.com/services/T0AAA/B0BBB/xYzSeCrEt123';
    const secrets = [hook];
    expect(redactSecrets(`webhook ${hook} answered HTTP 404`, secrets)).toBe('webhook https://hooks.slack.com/*** answered HTTP 404');
    expect(redactSecrets('POST /services/T0AAA/B0BBB/xYzSeCrEt123 refused', secrets)).toBe('POST /*** refused');
    expect(redactWholeUrl('http://127.0.0.1:8080/hook?k=v')).toBe('http://127.0.0.1:8080/***');
  });

  it('redacts URL user-info: the password, or a token given as the user alone', () => {
    expect(redactUrl('postgresql://imos:s3cret@db/imos')).toBe('postgresql://imos:***@db/imos');
    expect(redactUrl('https://ghp_0123456789abcdef@github.com/x.git')).toBe('https://***@github.com/x.git');
    expect(redactUrl('postgresql://imos@localhost/imos')).toBe('postgresql://imos@localhost/imos');
    expect(redactUrl('https://relay/x?token=abc&n=1')).toBe('https://relay/x?token=***&n=1');
    expect(redactUrl('https://blob/x?sv=1&sig=AbC%2Bd&design=2')).toBe('https://blob/x?sv=1&sig=***&design=2');
  });

  it('blanks every form of a check’s own credentials', () => {
    const forms = credentialForms('probe', 'hunter2/x');
    const b64 = Buffer.from('probe:hunter2/x').toString('base64');
    expect(forms).toEqual(expect.arrayContaining(['hunter2/x', 'hunter2%2Fx', 'probe:hunter2/x', b64]));
    const text = `sent Basic ${b64} for probe:hunter2/x (hunter2%2Fx)`;
    expect(redactSecrets(text, forms)).toBe('sent Basic *** for *** (***)');
    // A configured Basic header: what it decodes to is a secret too.
    expect(secretHeaderValues({ Authorization: `Basic ${b64}` })).toEqual(expect.arrayContaining([b64, 'hunter2/x', 'probe:hunter2/x']));
    // As written in a URL, however it was percent-encoded.
    expect(urlCredentials('http://probe:hunt%21er22@host/')).toEqual(expect.arrayContaining(['hunt!er22', 'hunt%21er22']));
  });

  it('blanks Authorization, Proxy-Authorization and Cookie values whoever they belong to', () => {
    expect(redactSecrets('{"authorization":"Bearer abc.def","proxy-authorization":"Basic Zm9v","x":"y"}')).toBe(
      '{"authorization":"***","proxy-authorization":"***","x":"y"}',
    );
    expect(redactSecrets('Host: a\nAuthorization: Digest u="x"\nCookie: a=b; c=d\nSet-Cookie: sid=1; Path=/')).toBe(
      'Host: a\nAuthorization: ***\nCookie: ***\nSet-Cookie: ***',
    );
    expect(redactSecrets('401: authorization: Bearer tok123 rejected; cookie: sid=zz9 expired')).toBe('401: authorization: *** rejected; cookie: *** expired');
    expect(redactDeep({ headers: { Authorization: 'Basic Zm9v', Cookie: ['a=b'], host: 'h' }, n: 1 })).toEqual({
      headers: { Authorization: '***', Cookie: '***', host: 'h' },
      n: 1,
    });
  });

  it('takes a webhook URL from the environment as a secret as a whole, and credentials inside any URL', () => {
    const found = envSecrets({
      WEBHOOK_URL: 'https://discord.com/api/webhooks/123/abcdefSECRET',
      DATABASE_URL: 'postgresql://imos:dbpass99@db/imos',
      SERVICE_URL: 'http://127.0.0.1:8080/health',
    });
    expect(found).toContain('https://discord.com/api/webhooks/123/abcdefSECRET');
    expect(found).toContain('dbpass99');
    expect(found).not.toContain('http://127.0.0.1:8080/health');
  });

  it('replaces the longest secret first, so no part of it is left behind', () => {
    expect(redactSecrets('key abcdef-123456', ['abcdef', 'abcdef-123456'])).toBe('key ***');
  });
});
