/** How wide a select must be drawn (shared by the forms' selects and the rule builder's native ones). */

export interface SelectOption {
  label: string;
}

/**
 * The width (CSS) a native select needs to show its longest option and its
 * label whole: a select cannot wrap its value, so it must not be drawn narrower
 * ("has any of the" for "has any of these set"). In `ch` of the select's own
 * font, so presenter mode's zoom and the browser's zoom scale it too: Roboto's
 * letters average 0.8 of a `ch` (a digit), 0.9 leaves room for wide ones; 50 px
 * are the select's padding and arrow. The label is drawn at 0.75 of that size,
 * and MUI gives it the select's width less 32 px, times 1.33.
 */
export function selectFit(label: string, options: readonly (SelectOption | { group: string; options: readonly SelectOption[] })[]): string {
  const longest = Math.max(0, ...options.flatMap((o) => ('group' in o ? o.options : [o])).map((o) => o.label.length));
  const ch = Math.max(longest * 0.9, label.length * 0.9 * 0.75);
  return `calc(${Math.ceil(ch)}ch + 50px)`;
}
