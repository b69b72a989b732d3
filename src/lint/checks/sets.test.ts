import { describe, expect, it } from 'vitest';
import { byId, ids, lintText, rangeText } from '../fixtures/lintText.ts';

const set = (body: string, kind = 'set'): string => `table inet t {\n\t${kind} s {\n${body
  .split('\n')
  .map((l) => `\t\t${l}\n`)
  .join('')}\t}\n}\n`;

describe('set declarations', () => {
  it('points at the first interval element', () => {
    const text = set('type ipv4_addr . inet_service\nelements = { 10.0.0.1 . 22, 10.0.0.2 . 1000-2000 }');
    const [d] = byId(lintText(text).found, 'set/interval-flag');
    expect(rangeText(text, d)).toBe('1000-2000');
  });

  it('treats an interface wildcard as an interval', () => {
    expect(ids(lintText(set('type ifname\nelements = { "eth*", "lo" }')).found)).toContain('set/interval-flag');
    expect(ids(lintText(set('type ifname\nflags interval\nelements = { "eth*", "lo" }')).found)).not.toContain('set/interval-flag');
  });

  it("checks an element's statements against the set's own (nft 1.0.6 and 1.1.3 alike), and lets a dynamic set that declares none take any", () => {
    const found = (body: string) => ids(lintText(set(body)).found).filter((id) => id === 'set/element-statements');
    expect(found('type ipv4_addr\nelements = { 1.2.3.4 counter packets 0 bytes 0 }')).toEqual(['set/element-statements']);
    expect(found('type ipv4_addr\nflags timeout\nelements = { 1.2.3.4 counter packets 0 bytes 0 }')).toEqual(['set/element-statements']);
    expect(found('type ipv4_addr\nflags dynamic\ncounter\nelements = { 1.2.3.4 limit rate 1/second }')).toEqual(['set/element-statements']);
    expect(found('type ipv4_addr\nflags dynamic\nelements = { 1.2.3.4 counter packets 0 bytes 0 limit rate 1/second }')).toEqual([]);
    expect(found('type ipv4_addr\ncounter quota 500 bytes\nelements = { 1.2.3.4 counter packets 1 bytes 2 quota 500 bytes used 10 bytes, 1.2.3.5 }')).toEqual([]);
  });

  it('lets a default timeout allow element timeouts', () => {
    expect(ids(lintText(set('type ipv4_addr\ntimeout 1h\nelements = { 1.2.3.4 timeout 10s }')).found)).not.toContain('set/element-timeout');
  });

  it('allows verdict as map data but not as a key, nor integer inside a concatenation', () => {
    expect(ids(lintText(set('type inet_service : verdict', 'map')).found)).not.toContain('set/key-typeof');
    const text = set('type ipv4_addr . integer');
    const [d] = byId(lintText(text).found, 'set/key-typeof');
    expect(rangeText(text, d)).toBe('integer');
    expect(d.why).toMatch(/typeof meta mark/);
  });

  it('points at auto-merge', () => {
    const text = set('type ipv4_addr\nauto-merge');
    expect(rangeText(text, byId(lintText(text).found, 'set/auto-merge')[0])).toBe('auto-merge');
  });
});
