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

/**
 * A chain binding's anonymous chain as the kernel names it in a trace
 * (`__chain12`, from a counter global to the kernel, so no design can predict it),
 * and as the evaluator names it (`pre (anonymous chain)`).
 */
const BINDING_CHAIN = /^__chain\d+$|\(anonymous chain\)$/;
/** nft cannot show a rule of an anonymous chain in a trace: it prints `unknown rule handle 13`. */
const UNKNOWN_RULE = /^unknown rule handle \d+$/;

/**
 * One event in the form the kernel and the evaluator are compared in: counters'
 * figures left out, a multi-line rule (a chain binding) on one line, and a rule
 * of an anonymous chain named only by where it is (the kernel cannot name it;
 * the event's chain and verdict are still compared).
 */
export function eventForComparison(e: TraceEvent): string {
  const binding = BINDING_CHAIN.test(e.chain);
  const rule = e.rule === undefined ? undefined : binding || UNKNOWN_RULE.test(e.rule) ? '(a rule of the anonymous chain)' : ruleForComparison(e.rule).replace(/\s+/g, ' ').trim();
  return eventLine({ ...e, chain: binding ? '(anonymous chain of a binding)' : e.chain, rule, verdict: e.verdict.replace(/^(jump|goto) __chain\d+$/, '$1 (anonymous chain)') });
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
