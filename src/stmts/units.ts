/** Amounts of bytes as nft lists and as its JSON reader takes them (limit, quota, their objects). */
import type { ByteUnit } from '../knowledge/vocabulary.ts';
import { CannotCarry, LOSS } from '../json/losses.ts';

const BYTE_STEPS: readonly ByteUnit[] = ['bytes', 'kbytes', 'mbytes'];
const UNIT_FACTOR: Readonly<Record<string, number>> = { bytes: 1, kbytes: 1024, mbytes: 1024 ** 2, gbytes: 1024 ** 3 };

export function isByteUnit(u: string | undefined): boolean {
  return u === 'bytes' || u === 'kbytes' || u === 'mbytes';
}

/** nft prints byte amounts in the largest of bytes/kbytes/mbytes that divides them. */
export function formatBytes(amount: number, unit: string): string {
  let v = amount * (UNIT_FACTOR[unit] ?? 1);
  let i = 0;
  while (i < BYTE_STEPS.length - 1 && v !== 0 && v % 1024 === 0) {
    v /= 1024;
    i++;
  }
  return `${v} ${BYTE_STEPS[i]}`;
}

/**
 * An amount in the largest of bytes/kbytes/mbytes that divides it: nft's JSON
 * reader knows only those three units and would take anything else as bytes.
 */
export function byteAmount(amount: number, unit: string): [number, string] {
  let v = amount * (UNIT_FACTOR[unit] ?? 1);
  if (!Number.isSafeInteger(v)) throw new CannotCarry(LOSS.rawStatement, `${amount} ${unit} is too large`);
  let i = 0;
  while (i < BYTE_STEPS.length - 1 && v !== 0 && v % 1024 === 0) {
    v /= 1024;
    i++;
  }
  return [v, BYTE_STEPS[i]];
}

/** AMOUNT of UNIT in bytes. */
export function toBytes(amount: number, unit: string): number {
  return amount * (UNIT_FACTOR[unit] ?? 1);
}
