/**
 * What nft takes but the designer keeps as text (a raw statement) instead of
 * structuring it: the forms below, recognised by their first words. Each one was
 * loaded by nft 1.0.6 and 1.1.3 in a private namespace. A raw statement that is not
 * one of these is text the designer did not understand: often a typo in a statement
 * it does structure (`limit rate 10/minit`), which nft then refuses, so the linter
 * reports it as an error instead of letting it ship as a note. A statement the
 * designer structures (dup, fwd, tproxy, flow, meters, last, ct count, chain
 * bindings: src/stmts/) is never here: kept as text, it is one its parser refused.
 */
export interface UnstructuredForm {
  /** the leading words, as a pattern over the folded statement text */
  re: RegExp;
  what: string;
}

export const UNSTRUCTURED_FORMS: readonly UnstructuredForm[] = [
  // (TCP and IPv4 options, IPv6 extension headers, SCTP chunks, raw payloads, tunnels,
  // osf, ipsec and set updates are structured now: src/stmts, src/parse. Kept as text,
  // one of them is one the parser refused, a typo nft refuses too: `tcp option maxsge`)
  { re: /^xt\b/, what: 'an iptables-nft compat statement (xt), which nft lists but cannot load' },
];

/** The form a raw statement's text is, or undefined when it is none the designer knows. */
export function unstructuredForm(text: string): UnstructuredForm | undefined {
  return UNSTRUCTURED_FORMS.find((f) => f.re.test(text));
}
