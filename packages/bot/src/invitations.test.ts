import { describe, expect, it } from 'vitest';
import { inviterAllowed } from './invitations.js';

describe('invitations [CU6]', () => {
  it('allows inviters by bare JID, by domain, or anyone with *', () => {
    expect(inviterAllowed('alice@example.org', ['example.org'])).toBe(true);
    expect(inviterAllowed('alice@example.org', ['alice@example.org'])).toBe(true);
    expect(inviterAllowed('alice@example.org', ['bob@example.org', 'other.example'])).toBe(false);
    expect(inviterAllowed('alice@example.org', ['*'])).toBe(true);
    expect(inviterAllowed('alice@example.org', [])).toBe(false);
  });
});
