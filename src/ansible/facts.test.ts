/** The shared facts of the Ansible hand-off: names, bundle paths, whole-number fields. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DESIGN_NAME, MAX_NAME_LENGTH, bundleNameFrom, isBundleName, isBundlePath, wholeNumber } from './index.ts';

describe('facts', () => {
  it('isBundleName: letters, digits, _ . -, starting with a letter or digit, no ..', () => {
    for (const n of ['a', 'edge-fw', 'web_01.v2', '010', 'x'.repeat(MAX_NAME_LENGTH)]) expect(isBundleName(n), n).toBe(true);
    for (const n of ['', '.x', '-x', '_x', 'a..b', 'a/b', 'a b', '~', 'é', 'x'.repeat(MAX_NAME_LENGTH + 1)]) expect(isBundleName(n), n).toBe(false);
  });

  it('bundleNameFrom: a usable name from any title, or the default', () => {
    expect(bundleNameFrom('edge fw (prod)')).toBe('edge-fw-prod-');
    expect(bundleNameFrom('../../etc')).toBe('etc');
    expect(bundleNameFrom('a..b')).toBe('a.b');
    expect(bundleNameFrom('x'.repeat(100))).toBe('x'.repeat(MAX_NAME_LENGTH));
    for (const t of ['', '---', 'éé', '..']) expect(bundleNameFrom(t), t).toBe(DEFAULT_DESIGN_NAME);
    for (const t of ['edge fw', '../x', 'a..b', '.hidden', `${'y'.repeat(63)}..z`]) expect(isBundleName(bundleNameFrom(t)), t).toBe(true);
  });

  it('isBundlePath: relative, no empty, . or .. part, no hidden file', () => {
    for (const p of ['README.md', 'roles/nft_designer/files/nft-agent', 'a-ansible']) expect(isBundlePath(p), p).toBe(true);
    for (const p of ['', '/etc/passwd', '../x', 'a/../b', 'a//b', 'a/./b', 'a/', '.nft-designer-bundle', 'a/.ssh', 'a\\b', 'a b']) expect(isBundlePath(p), p).toBe(false);
  });

  it('wholeNumber: digits only, within the range, or what it must be', () => {
    expect(wholeNumber('30', 10, 86400)).toEqual({ value: 30 });
    expect(wholeNumber(' 10 ', 10, 86400)).toEqual({ value: 10 });
    for (const t of ['', '9', '86401', '1e3', '1.5', '-10', '0x10', '١٢', '9'.repeat(20)]) expect(wholeNumber(t, 10, 86400), t).toEqual({ problem: 'a whole number from 10 to 86400' });
  });
});
