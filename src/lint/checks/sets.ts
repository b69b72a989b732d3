/**
 * Set and map declarations (src/knowledge/setRules.ts): interval elements need
 * `flags interval`, `auto-merge` needs an interval set, element timeouts need a
 * timeout flag (also `update @s { … timeout … }` from a rule), and integer,
 * string and verdict keys need `typeof`.
 */
import type { Expr } from '../../model/expr.ts';
import { exprType, valueOrder, type DataType } from '../../knowledge/datatypes.ts';
import { formatValueExpr, single } from '../../emit/values.ts';
import { TYPEOF_ONLY_KEY_TYPES, setHasTimeout, setIsInterval } from '../../knowledge/setRules.ts';
import { forEachExpr, forEachStmtExpr } from '../walk.ts';
import { hasElementOptions } from '../../emit/values.ts';
import type { Check } from './check.ts';
import { compareVersions } from '../../knowledge/versions.ts';
import type { SetDecl } from '../../model/types.ts';
import type { StatementKind } from '../../model/stmt.ts';
import { stmtModule } from '../../stmts/registry.ts';

/**
 * The nft that keeps statements on the only element of an anonymous set: 1.1.3 does,
 * 1.0.6 does not (both loaded); the versions between are not known, so they are warned about.
 */
const KEEPS_SINGLE_ELEMENT_STMTS = '1.1.3';

/** A prefix, a range, or an interface wildcard ("eth*", stored as a prefix). */
function isInterval(e: Expr): boolean {
  let found = false;
  forEachExpr(e, (x) => {
    if (x.kind === 'range' || x.kind === 'prefix' || (x.kind === 'value' && /^"[^"*]+\*"$/.test(x.text))) found = true;
  });
  return found;
}

/**
 * Why nft refuses the statements on an element of `s` (both versions alike, with
 * its words), or undefined: an element holds the statements the set declares, or
 * none (it then gets them fresh); a dynamic set that declares none takes any.
 */
function elementStatementsProblem(s: SetDecl): string | undefined {
  const template = s.stmts ?? [];
  for (const el of s.elements) {
    const own = el.stmts ?? [];
    if (own.length === 0) continue;
    // a dynamic set (filled from rules) takes any statements on an element it does not declare
    if (template.length === 0 && s.flags.includes('dynamic')) continue;
    if (template.length === 0) return `an element has statements (${own.map((x) => x.kind).join(', ')}) that the ${s.kind} does not declare (nft: missing statement in set declaration)`;
    if (own.length !== template.length) return `the ${s.kind} declares ${template.length} statement${template.length === 1 ? '' : 's'} but an element has ${own.length} (nft: number of statements mismatch, set expects ${template.length} but element has ${own.length})`;
    for (let i = 0; i < own.length; i++) {
      if (own[i].kind !== template[i].kind) return `an element's statement ${i + 1} is ${stmtWord(own[i].kind)} where the ${s.kind} declares ${stmtWord(template[i].kind)} (nft: statement mismatch, element expects ${stmtWord(own[i].kind)}, but set has type ${stmtWord(template[i].kind)})`;
    }
  }
  return undefined;
}

/** The interval [lo, hi] an element key covers (a value, a prefix, a range), or undefined where it cannot tell. */
function span(e: Expr, type: DataType | undefined): [bigint, bigint] | undefined {
  if (e.kind === 'value') {
    const v = valueOrder(e.text, type);
    return v === undefined ? undefined : [v, v];
  }
  if (e.kind === 'range' && e.from.kind === 'value' && e.to.kind === 'value') {
    const a = valueOrder(e.from.text, type);
    const b = valueOrder(e.to.text, type);
    return a === undefined || b === undefined ? undefined : [a, b];
  }
  if (e.kind === 'prefix' && e.addr.kind === 'value' && (type === 'ipv4_addr' || type === 'ipv6_addr')) {
    const bits = type === 'ipv4_addr' ? 32 : 128;
    const v = valueOrder(e.addr.text, type);
    if (v === undefined || e.len < 0 || e.len > bits) return undefined;
    const host = (1n << BigInt(bits - e.len)) - 1n;
    return [v & ~host, (v & ~host) | host];
  }
  return undefined;
}

/** Two elements of an interval set that overlap (as written), or undefined: identical ones nft takes as one. */
function overlappingElements(s: SetDecl): [string, string] | undefined {
  if (s.key.mode === 'type' ? s.key.types.length !== 1 : s.key.exprs.length !== 1) return undefined;
  const type = (s.key.mode === 'type' ? s.key.types[0] : exprType(s.key.exprs[0])) as DataType | undefined;
  const spans: { lo: bigint; hi: bigint; text: string }[] = [];
  for (const el of s.elements) {
    const sp = span(el.key, type);
    if (!sp) return undefined;
    spans.push({ lo: sp[0], hi: sp[1], text: formatValueExpr(el.key, single(type)) });
  }
  spans.sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : a.hi < b.hi ? -1 : a.hi > b.hi ? 1 : 0));
  for (let i = 1; i < spans.length; i++) {
    const a = spans[i - 1];
    const b = spans[i];
    if (b.lo <= a.hi && !(a.lo === b.lo && a.hi === b.hi)) return [a.text, b.text];
  }
  return undefined;
}

const stmtWord = (kind: StatementKind): string => (kind === 'connlimit' ? 'ct count' : (stmtModule(kind).words[0] ?? kind));

export const sets: Check = {
  name: 'sets and maps',
  findings: [
    { id: 'set/interval-flag', severity: 'error', summary: 'prefix or range elements without flags interval' },
    { id: 'set/auto-merge', severity: 'error', summary: 'auto-merge on a set without flags interval' },
    { id: 'set/auto-merge-concat', severity: 'warning', summary: 'auto-merge on a concatenation (nft never merges those; 1.1 drops the word)' },
    { id: 'set/element-timeout', severity: 'error', summary: 'element timeouts (or update … timeout) on a set without the timeout flag' },
    { id: 'set/element-statements', severity: 'error', summary: 'an element with statements that are not the ones its set declares (kind, order and number)' },
    { id: 'set/conflicting-intervals', severity: 'error', summary: 'two interval elements that overlap (without auto-merge)' },
    { id: 'set/timeout-option', severity: 'error', summary: 'gc-interval without timeouts, or timeouts on a constant set' },
    { id: 'set/size', severity: 'error', summary: 'more elements than the set\'s size' },
    { id: 'set/key-typeof', severity: 'error', summary: 'type integer, string or verdict as a key (needs typeof)' },
    { id: 'set/single-element-options', severity: 'warning', summary: 'timeout, comment (or, before nft 1.1.3, a counter) on the only element of an anonymous set (nft drops it)' },
  ],
  run(ctx) {
    for (const ti of ctx.tables) {
      for (const s of ti.table.sets) {
        const mismatch = elementStatementsProblem(s);
        if (mismatch) {
          ctx.report({
            id: 'set/element-statements',
            severity: 'error',
            message: `${s.kind} ${s.name}: ${mismatch}`,
            why: `The statements on a ${s.kind}'s elements (counter, limit, quota, ct count, last) are the ${s.kind}'s own: it declares them once, as a line of its own (counter, or counter quota 500 bytes), and every element holds the same kinds, in the same order, each with its own state. nft refuses an element whose statements differ (only a dynamic ${s.kind} that declares none takes any). Declare them on the ${s.kind}, or remove them from the element.`,
            nodeId: s.id,
            field: 'elements',
          });
        }
        if (s.autoMerge && setIsInterval(s.flags) && (s.key.mode === 'type' ? s.key.types.length : s.key.exprs.length) > 1) {
          ctx.report({
            id: 'set/auto-merge-concat',
            severity: 'warning',
            message: `auto-merge has no effect on ${s.kind} ${s.name}, whose key is a concatenation: nft 1.1 leaves it out of the ${s.kind} (the designer's listing for 1.1 too)`,
            why: 'nft merges overlapping or adjacent ranges of a single key only; the elements of a concatenation are kept as written. nft 1.0.6 lists the word and 1.1 drops it, so an import from a 1.1 host will not have it. Remove auto-merge.',
            nodeId: s.id,
            field: 'autoMerge',
            at: ctx.loc?.word(s.id, ['auto-merge']),
          });
        }
        const overlap = !s.autoMerge && setIsInterval(s.flags) ? overlappingElements(s) : undefined;
        if (overlap) {
          ctx.report({
            id: 'set/conflicting-intervals',
            severity: 'error',
            message: `${s.kind} ${s.name}: ${overlap[1]} overlaps ${overlap[0]} (nft: conflicting intervals specified)`,
            why: `An interval ${s.kind} holds each address or number at most once: two elements that overlap (a prefix and an address inside it, two ranges that meet) are refused. Remove the inner one, join them into one range, or add auto-merge, with which nft merges them into one.`,
            nodeId: s.id,
            field: 'elements',
            at: ctx.loc?.word(s.id, [overlap[1]], { after: 'elements' }),
          });
        }
        const timed = setHasTimeout(s.flags, s.timeout);
        const constant = s.flags.includes('constant');
        const timeoutProblem =
          s.gcInterval !== undefined && !timed
            ? `${s.kind} ${s.name} has a gc-interval but no timeouts: add flags timeout (or a timeout), or remove gc-interval (the kernel answers Invalid argument)`
            : constant && (timed || s.gcInterval !== undefined || s.elements.some((el) => el.timeout !== undefined))
              ? `${s.kind} ${s.name} is constant and has timeouts: a constant ${s.kind} never changes, so none of its elements can expire (the kernel refuses it)`
              : undefined;
        if (timeoutProblem) {
          ctx.report({
            id: 'set/timeout-option',
            severity: 'error',
            message: timeoutProblem,
            why: 'gc-interval is how often the kernel collects expired elements, so it needs elements that expire (flags timeout, or a default timeout). A constant set is fixed when it is loaded: no element may expire from it, so timeouts and gc-interval are refused there.',
            nodeId: s.id,
            field: s.gcInterval !== undefined && !timed ? 'gcInterval' : 'flags',
            at: ctx.loc?.word(s.id, [s.gcInterval !== undefined && !timed ? 'gc-interval' : 'constant'], { header: true }),
          });
        }
        if (s.size !== undefined && s.elements.length > s.size) {
          ctx.report({
            id: 'set/size',
            severity: 'error',
            message: `${s.kind} ${s.name} has ${s.elements.length} elements, more than its size ${s.size} (the kernel answers "Too many open files in system": the set is full)`,
            why: `size is the most elements the ${s.kind} can hold. The kernel refuses to add one more, and the whole script fails to load. Raise size, or leave it out for the kernel's default.`,
            nodeId: s.id,
            field: 'size',
            at: ctx.loc?.word(s.id, ['size'], { header: true }),
          });
        }
        const interval = setIsInterval(s.flags);
        if (!interval) {
          const el = s.elements.find((x) => isInterval(x.key));
          if (el) {
            ctx.report({
              id: 'set/interval-flag',
              severity: 'error',
              message: `${s.kind} ${s.name} has prefix, range or wildcard elements but no "flags interval"`,
              why: `A plain ${s.kind} stores single values in a hash; prefixes (10.0.0.0/8), ranges (1000-2000) and interface wildcards ("eth*") need the interval flag, and nft refuses them without it ("You must add 'flags interval' to your ${s.kind} declaration"). Add flags interval.`,
              nodeId: s.id,
              field: 'flags',
              at: ctx.loc?.intervalElement(s.id),
            });
          }
          if (s.autoMerge) {
            ctx.report({
              id: 'set/auto-merge',
              severity: 'error',
              message: `auto-merge needs "flags interval" on ${s.kind} ${s.name}`,
              why: 'auto-merge joins overlapping or adjacent ranges, so it only exists for interval sets; nft refuses it otherwise ("auto-merge only works with interval sets"). Add flags interval, or remove auto-merge.',
              nodeId: s.id,
              field: 'autoMerge',
              at: ctx.loc?.word(s.id, ['auto-merge']),
            });
          }
        }
        if (!setHasTimeout(s.flags, s.timeout) && s.elements.some((el) => el.timeout !== undefined)) {
          ctx.report({
            id: 'set/element-timeout',
            severity: 'error',
            message: `${s.kind} ${s.name} has elements with a timeout but no timeout flag`,
            why: 'Elements can only expire in a set that supports timeouts; the kernel refuses them otherwise ("Invalid argument"). Add flags timeout (or a default timeout 1h) to the declaration.',
            nodeId: s.id,
            field: 'flags',
            at: ctx.loc?.word(s.id, ['timeout'], { after: 'elements' }),
          });
        }
        const keyTypes = s.key.mode === 'type' ? s.key.types : [];
        const bad = keyTypes.find((t) => t in TYPEOF_ONLY_KEY_TYPES);
        if (bad) {
          ctx.report({
            id: 'set/key-typeof',
            severity: 'error',
            message: `"type ${bad}" cannot be a ${s.kind} key; use typeof`,
            why: `A key type must have a fixed size, and ${bad} does not; nft refuses it ("unqualified type ${bad} specified in ${s.kind} definition"). Name the expression the key comes from instead, e.g. ${TYPEOF_ONLY_KEY_TYPES[bad]}.`,
            nodeId: s.id,
            field: 'type',
            at: ctx.loc?.word(s.id, [bad], { after: 'type', header: true }),
          });
        }
        // a map's data: the same (nft 1.0.6 and 1.1.3: "unqualified type integer specified in map definition",
        // or with a typeof key "map data type 'integer' lacks typeof serialization")
        const badData = s.data?.mode === 'type' ? s.data.types.find((t) => t === 'integer' || t === 'string') : undefined;
        if (badData) {
          ctx.report({
            id: 'set/key-typeof',
            severity: 'error',
            message: `"${badData}" cannot be the data type of map ${s.name}; use typeof`,
            why: `A map's data type must have a fixed size, and ${badData} does not; nft 1.0.6 and 1.1.3 refuse it. Name the expression the data comes from instead (typeof … : ${TYPEOF_ONLY_KEY_TYPES[badData].replace('typeof ', '')}). nft's own JSON of a typeof map loses that expression and writes "map": "${badData}", which nft cannot load back either: take it from the text listing.`,
            nodeId: s.id,
            field: 'data',
            at: ctx.loc?.word(s.id, [badData], { after: ':', header: true }),
          });
        }
      }
    }
    for (const { ti, rule } of ctx.rules()) {
      for (const st of rule.stmts) {
        forEachStmtExpr(st, (e) => {
          if (e.kind !== 'set' || e.elements.length !== 1 || e.elements[0].value || !hasElementOptions(e.elements[0])) return;
          const el = e.elements[0];
          // statements on it (`{ 10.0.0.1 counter }`): nft 1.0.6 drops them too, 1.1 keeps them
          // (both checked: 1.1.3 lists `ip saddr { 10.0.0.1 counter packets 0 bytes 0 }`, and drops timeout and comment)
          const keepsStmts = compareVersions(ctx.target, KEEPS_SINGLE_ELEMENT_STMTS) >= 0;
          const stmts = el.stmts?.length && !keepsStmts ? el.stmts.map((x) => (x.kind === 'connlimit' ? 'ct count' : x.kind)).join(', ') : undefined;
          const what = [el.timeout !== undefined && 'timeout', el.expires !== undefined && 'expires', stmts, el.comment !== undefined && 'comment'].filter(Boolean).join(', ');
          if (!what) return;
          ctx.report({
            id: 'set/single-element-options',
            severity: 'warning',
            message: `the only element of this anonymous set has ${what}, which nft drops`,
            why: `nft turns a one-element anonymous set into a plain comparison and lists the rule without the element's options (checked on nft 1.0.6 and 1.1.3; nft ${KEEPS_SINGLE_ELEMENT_STMTS} keeps statements such as a counter): a timeout never expires, a comment is lost${keepsStmts ? '' : ', a counter counts nothing'}. For a rule counter or comment, write them on the rule (ip saddr 1.2.3.4 counter accept comment "…"); for a timeout, use a named set with flags timeout.`,
            nodeId: rule.id,
            at: ctx.loc?.word(rule.id, ['timeout', 'expires', 'counter', 'comment']),
          });
        });
        if (st.kind !== 'setupdate' || st.timeout === undefined) continue;
        const s = ti.sets.get(st.set);
        if (!s || setHasTimeout(s.flags, s.timeout)) continue;
        ctx.report({
          id: 'set/element-timeout',
          severity: 'error',
          message: `${st.op} @${s.name} gives a timeout, but ${s.kind} ${s.name} has no timeout flag`,
          why: `Elements added with a timeout need a set that supports timeouts; the kernel refuses the rule ("Operation not supported"). Add flags timeout (or a default timeout) to ${s.kind} ${s.name}.`,
          nodeId: rule.id,
          field: 'timeout',
          at: ctx.loc?.word(rule.id, ['timeout']),
        });
      }
    }
  },
};
