import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { MAX_NAME_LENGTH } from '../../src/ansible/index.ts';
import { bundleZip } from './bundleZip.ts';

/** The external attributes of each entry, from the ZIP's central directory. */
function modes(zip: Uint8Array): Record<string, number> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = zip.length - 22;
  while (view.getUint32(eocd, true) !== 0x06054b50) eocd--;
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const out: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    expect(view.getUint32(at, true)).toBe(0x02014b50);
    const nameLen = view.getUint16(at + 28, true);
    const extraLen = view.getUint16(at + 30, true);
    const commentLen = view.getUint16(at + 32, true);
    const attrs = view.getUint32(at + 38, true);
    out[strFromU8(zip.subarray(at + 46, at + 46 + nameLen))] = (attrs >>> 16) & 0o7777;
    at += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

describe('bundleZip', () => {
  const files = [
    { path: 'site.yml', text: '- hosts: all\n' },
    { path: 'roles/r/files/nft-agent', text: '#!/bin/sh\necho hi\n', mode: 0o755 },
  ];

  it('puts every file under the directory, with its text and its Unix mode', () => {
    const zip = bundleZip('web-ansible', files);
    const back = unzipSync(zip);
    expect(Object.keys(back).sort()).toEqual(['web-ansible/roles/r/files/nft-agent', 'web-ansible/site.yml']);
    expect(strFromU8(back['web-ansible/roles/r/files/nft-agent'])).toBe('#!/bin/sh\necho hi\n');
    expect(modes(zip)).toEqual({ 'web-ansible/site.yml': 0o644, 'web-ansible/roles/r/files/nft-agent': 0o755 });
  });

  it('gives the same bytes for the same bundle', () => {
    expect(bundleZip('d', files)).toEqual(bundleZip('d', files));
  });

  it('refuses a path that would leave the directory, or is absolute, empty, hidden', () => {
    for (const path of ['../x', '/etc/passwd', 'a//b', 'a/./b', '.ssh/authorized_keys', 'a/', '']) expect(() => bundleZip('d', [{ path, text: '' }]), path).toThrow(/not a path inside/);
    for (const dir of ['../d', 'a/b', '', '.', '.d', '/d']) expect(() => bundleZip(dir, files), dir).toThrow(/not a directory name/);
  });

  it('takes the directory of the longest design name (NAME-ansible)', () => {
    const dir = `${'x'.repeat(MAX_NAME_LENGTH)}-ansible`;
    expect(Object.keys(unzipSync(bundleZip(dir, files)))).toContain(`${dir}/site.yml`);
  });
});
