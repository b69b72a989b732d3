import { describe, expect, it } from 'vitest';
import { deviceNameProblem, nameProblem } from './names.ts';

describe('nameProblem', () => {
  it('refuses a lone ".", which nft reads as the concatenation operator, and takes ".." and ".a"', () => {
    expect(nameProblem('.')?.message).toMatch(/concatenation operator/);
    expect(nameProblem('..')).toBeUndefined();
    expect(nameProblem('.a')).toBeUndefined();
  });
});

describe('deviceNameProblem', () => {
  it.each(['eth0', 'br-lan', 'enp3s0f1', 'wg0.100', 'veth_a', 'eth*', 'x'.repeat(15)])('accepts %s', (n) => {
    expect(deviceNameProblem(n)).toBeUndefined();
  });
  it.each([
    ['', /empty/],
    ['.', /not a valid/],
    ['..', /not a valid/],
    ['eth 0', /a space/],
    ['lo } priority filter; } } ; flush ruleset', /a space/],
    ['lo}', /"}"/],
    ['a;b', /";"/],
    ['a#b', /"#"/],
    ['a,b', /","/],
    ['a"b', /double quote/],
    ['a\nb', /newline/],
    ['a\rb', /control character/],
    ['a/b', /"\/"/],
    ['a:b', /":"/],
    ['e*th', /only have a "\*" at its end/],
    ['*', /alone is not a device name/],
    ['x'.repeat(16), /16 bytes long; Linux allows at most 15/],
    ['\u00e9'.repeat(8), /16 bytes long/],
  ])('refuses %j', (n, msg) => {
    expect(deviceNameProblem(n)).toMatch(msg);
  });
});
