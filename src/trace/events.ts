/**
 * The packet trace's events, in the shape the kernel's `nft monitor trace` gives
 * them: the evaluator (src/trace/evaluate.ts) produces them, the kernel harness
 * (src/trace/kernel/) reads them from the real kernel, and the differential test
 * compares the two event by event.
 *
 * `nft monitor trace` prints, per traced packet (one trace id):
 *   trace id 1a2b3c4d inet t in packet: iif "eth0" ip saddr … tcp dport 22 …
 *   trace id 1a2b3c4d inet t in rule tcp dport 22 accept (verdict accept)
 *   trace id 1a2b3c4d inet t in policy drop
 *   trace id 1a2b3c4d inet t sub verdict return      (type "return")
 * The `packet:` lines are not events here (they describe the packet, not a decision).
 */
import type { Family } from '../model/types.ts';

/** One decision the kernel reports for a traced packet. */
export interface TraceEvent {
  family: Family;
  table: string;
  chain: string;
  /**
   * `rule`: a rule matched (with its verdict; `continue` when it did not end the
   * packet's way through the chain); `return`: the chain ended and returned to
   * its caller (the kernel's `verdict return`/`verdict continue` line);
   * `policy`: a base chain's policy decided.
   */
  type: 'rule' | 'return' | 'policy';
  /** the rule as nft lists it for the target version (counters' figures ignored when compared); absent for policy and return events */
  rule?: string;
  /** `continue`, `accept`, `drop`, `stolen`, `queue`, `return`, `jump X`, `goto X` */
  verdict: string;
}

/** Counters' figures differ between runs: compare rules without them. */
export function ruleForComparison(rule: string): string {
  return rule.replace(/\bcounter packets \d+ bytes \d+/g, 'counter').replace(/\bquota (over |until )?(\d+ \w+) used \d+ \w+/g, 'quota $1$2');
}

/** One event as `nft monitor trace` would print it (without the trace id), for text output and test messages. */
export function eventLine(e: TraceEvent): string {
  const where = `${e.family} ${e.table} ${e.chain}`;
  switch (e.type) {
    case 'rule':
      return `${where} rule ${e.rule ?? ''} (verdict ${e.verdict})`;
    case 'return':
      return `${where} verdict ${e.verdict}`;
    case 'policy':
      return `${where} policy ${e.verdict}`;
  }
}
