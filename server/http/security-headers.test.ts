import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address';
import { contentSecurityPolicy, isHttpsRequest, isParticipantPage } from './security-headers';

const directive = (csp: string, name: string) => csp.split('; ').find((d) => d.startsWith(`${name} `));

describe('contentSecurityPolicy', () => {
  const base = { nonce: 'abc123==', dev: false, https: false, participantPage: false };

  it('allows only nonce-carrying scripts (and what they load), no eval in production', () => {
    const csp = contentSecurityPolicy(base);
    expect(directive(csp, 'script-src')).toBe("script-src 'self' 'nonce-abc123==' 'strict-dynamic'");
    expect(directive(csp, 'object-src')).toBe("object-src 'none'");
    expect(directive(csp, 'base-uri')).toBe("base-uri 'self'");
    expect(contentSecurityPolicy({ ...base, dev: true })).toContain("'unsafe-eval'");
  });

  it('forbids framing of staff pages and allows only MTurk to frame the participant page', () => {
    expect(directive(contentSecurityPolicy(base), 'frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directive(contentSecurityPolicy({ ...base, participantPage: true }), 'frame-ancestors')).toBe(
      "frame-ancestors 'self' https://www.mturk.com https://workersandbox.mturk.com",
    );
  });

  it('lets only the participant page post to MTurk ("Submit the HIT")', () => {
    expect(directive(contentSecurityPolicy(base), 'form-action')).toBe("form-action 'self'");
    expect(directive(contentSecurityPolicy({ ...base, participantPage: true }), 'form-action')).toBe(
      "form-action 'self' https://mturk.com https://*.mturk.com",
    );
  });

  it('upgrades sub-resources only over HTTPS', () => {
    expect(contentSecurityPolicy(base)).not.toContain('upgrade-insecure-requests');
    expect(contentSecurityPolicy({ ...base, https: true })).toContain('upgrade-insecure-requests');
  });

  it('knows the participant pages', () => {
    expect(isParticipantPage('/s/demo')).toBe(true);
    expect(isParticipantPage('/studies')).toBe(false);
    expect(isParticipantPage('/settings')).toBe(false);
  });
});

describe('request scheme and client address', () => {
  it('treats a TLS-terminating proxy report as HTTPS', () => {
    expect(isHttpsRequest('http://10.0.0.5/x', new Headers({ 'x-forwarded-proto': 'https' }))).toBe(true);
    expect(isHttpsRequest('http://10.0.0.5/x', { 'x-forwarded-proto': 'https, http' })).toBe(true);
    expect(isHttpsRequest('http://10.0.0.5/x', {})).toBe(false);
    expect(isHttpsRequest('https://example.org/x', {})).toBe(true);
  });

  it('takes the address the trusted proxies saw, never one the client wrote further left', () => {
    const h = (xff: string) => new Headers({ 'x-forwarded-for': xff });
    // No proxy: Next.js wrote the peer address.
    expect(clientAddress(h('203.0.113.7'), 0)).toBe('203.0.113.7');
    // One proxy appended the real peer after a forged entry.
    expect(clientAddress(h('1.2.3.4, 203.0.113.7'), 1)).toBe('203.0.113.7');
    // CDN then load balancer: the client is second from the right.
    expect(clientAddress(h('1.2.3.4, 203.0.113.7, 10.0.0.2'), 2)).toBe('203.0.113.7');
    expect(clientAddress(h('203.0.113.7'), 2)).toBe('203.0.113.7');
    expect(clientAddress(new Headers(), 1)).toBe('unknown');
    expect(clientAddress({ 'x-forwarded-for': 'x'.repeat(500) }, 0)).toHaveLength(64);
  });
});
