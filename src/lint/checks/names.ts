/**
 * Names and comments as nft 1.0.6's text grammar allows them (§7): identifiers
 * `[A-Za-z_.][A-Za-z0-9/_.-]*`, never a keyword (names cannot be quoted), at most
 * 255 bytes; comments and other quoted strings without `"` or control
 * characters, comments at most 128 bytes. The parser already refuses most of
 * this in text, so these fire on designs built in forms or imported from JSON,
 * which would otherwise emit a script nft cannot read.
 */
import type { SetElement } from '../../model/expr.ts';
import { COMMENT_MAX_BYTES, IDENTIFIER_RE, NAME_MAX_BYTES, byteLength, commentProblem, nameProblem, quotedStringProblem } from '../../knowledge/names.ts';
import type { LintContext } from '../context.ts';
import type { Check } from './check.ts';

const NAME_WHY: Record<string, string> = {
  syntax:
    'nft reads a name as one unquoted word: a letter, "_" or "." first, then letters, digits and / - _ . — and names cannot be quoted. Rename it, e.g. with "_" instead of spaces.',
  empty: 'Every table, chain, set and object needs a name nft can read as one word. Give it one.',
  keyword:
    'nft\'s scanner turns keywords into syntax before it looks for a name, and names cannot be quoted, so a keyword can never be a name in a script. Add a prefix or suffix, e.g. "my_input" or "input_v4".',
  length: `The kernel stores names in ${NAME_MAX_BYTES + 1} bytes including the terminating zero and refuses longer ones ("Numerical result out of range"). Shorten the name.`,
};

function checkName(ctx: LintContext, nodeId: string, name: string, what: string): void {
  const p = nameProblem(name, what);
  if (!p) return;
  const id = p.code === 'keyword' ? 'name/keyword' : p.code === 'length' ? 'name/too-long' : 'name/syntax';
  ctx.report({ id, severity: 'error', message: p.message, why: NAME_WHY[p.code], nodeId, field: 'name', at: ctx.loc?.declName(nodeId, name) });
}

function checkComment(ctx: LintContext, nodeId: string, comment: string | undefined, field = 'comment'): void {
  if (comment === undefined) return;
  const p = commentProblem(comment);
  if (!p) return;
  ctx.report({
    id: p.code === 'length' ? 'comment/too-long' : 'comment/invalid',
    severity: 'error',
    message: p.message,
    why:
      p.code === 'length'
        ? `nft stores comments in ${COMMENT_MAX_BYTES} bytes of UTF-8 and refuses longer ones ("comment too long, ${COMMENT_MAX_BYTES} characters maximum allowed"); accented letters take two bytes or more. Shorten it (it is ${byteLength(comment)} bytes).`
        : 'nft strings have no escape character: a double quote ends the comment early and a newline breaks the line-based listing, so the script would not load (or would mean something else). Remove the character.',
    nodeId,
    field,
    at: ctx.loc?.valueAfter(nodeId, ['comment'], { last: true }),
  });
}

function checkQuoted(ctx: LintContext, nodeId: string, value: string, what: string, field: string): void {
  if (value.startsWith('$')) return;
  const p = quotedStringProblem(value, what);
  if (!p) return;
  ctx.report({
    id: 'comment/invalid',
    severity: 'error',
    message: p,
    why: 'nft strings have no escape character: a double quote ends the string early and a control character breaks the line, so the script would not load as written. Remove the character.',
    nodeId,
    field,
  });
}

function checkElements(ctx: LintContext, nodeId: string, elements: readonly SetElement[]): void {
  for (const el of elements) checkComment(ctx, nodeId, el.comment, 'elements');
}

export const names: Check = {
  name: 'names and comments',
  findings: [
    { id: 'name/syntax', severity: 'error', summary: 'a name outside nft\'s identifier grammar (or empty)' },
    { id: 'name/keyword', severity: 'error', summary: 'a name that is an nft keyword' },
    { id: 'name/too-long', severity: 'error', summary: `a name longer than ${NAME_MAX_BYTES} bytes` },
    { id: 'comment/invalid', severity: 'error', summary: 'a comment or quoted string with a double quote or a control character' },
    { id: 'comment/too-long', severity: 'error', summary: `a comment longer than ${COMMENT_MAX_BYTES} bytes` },
  ],
  run(ctx) {
    for (const d of ctx.rs.defines) {
      if (!IDENTIFIER_RE.test(d.name)) checkName(ctx, d.id, d.name, 'variable name');
    }
    for (const ti of ctx.tables) {
      const t = ti.table;
      checkName(ctx, t.id, t.name, 'table name');
      checkComment(ctx, t.id, t.comment);
      for (const o of t.objects) {
        checkName(ctx, o.id, o.name, `${o.type} name`);
        checkComment(ctx, o.id, o.comment);
        if (o.type === 'ct helper') checkQuoted(ctx, o.id, o.helper, 'helper type', 'helper');
        if (o.type === 'secmark') checkQuoted(ctx, o.id, o.context, 'security context', 'context');
      }
      for (const s of t.sets) {
        checkName(ctx, s.id, s.name, `${s.kind} name`);
        checkComment(ctx, s.id, s.comment);
        checkElements(ctx, s.id, s.elements);
      }
      for (const f of t.flowtables) {
        checkName(ctx, f.id, f.name, 'flowtable name');
        for (const d of f.devices) checkQuoted(ctx, f.id, d, 'device name', 'devices');
      }
      for (const c of t.chains) {
        checkName(ctx, c.id, c.name, 'chain name');
        checkComment(ctx, c.id, c.comment);
        for (const d of c.base?.devices ?? []) checkQuoted(ctx, c.id, d, 'device name', 'devices');
        for (const r of c.rules) {
          checkComment(ctx, r.id, r.comment);
          for (const s of r.stmts) {
            if (s.kind === 'log' && s.prefix !== undefined) checkQuoted(ctx, r.id, s.prefix, 'log prefix', 'prefix');
            if (s.kind === 'objref' && s.name !== undefined) checkQuoted(ctx, r.id, s.name, `${s.type} name`, 'name');
          }
        }
      }
    }
  },
};
