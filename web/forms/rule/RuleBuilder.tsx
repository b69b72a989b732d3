/**
 * The rule builder: matches, statements, a verdict and a comment in forms, or
 * the rule as text when the forms cannot show it (or the person prefers text).
 *
 * The rows are a draft: `onChange` gets a rule only when every field is filled
 * in and valid, so the model (and the preview) never holds half a rule; fields
 * that are wrong say why next to them, with the linter's findings for the rule.
 * When the rule changes from outside (undo, an edit in the preview), the rows
 * are rebuilt from it.
 */
import { Alert, Box, Button, ListItemText, Menu, MenuItem, ToggleButton, ToggleButtonGroup, Tooltip, Typography } from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, type JSX, type ReactNode } from 'react';
import type { Diagnostic } from '../../../src/model/diagnostic.ts';
import type { Chain, Rule, Table } from '../../../src/model/types.ts';
import { emitRule } from '../../../src/emit/index.ts';
import { byteLength, COMMENT_MAX_BYTES } from '../../../src/knowledge/names.ts';
import { placeDiagnostics } from './diagnostics.ts';
import { MatchEditor } from './MatchEditor.tsx';
import {
  blocks,
  newMatchRow,
  newStmtRow,
  ruleToState,
  stateToRule,
  type BuilderContext,
  type BuilderState,
  type ToRule,
  type Problem,
  type StmtChoice,
} from './model.ts';
import { FindingLine, HelpIcon, NotesContext, TextInput, type NotesIndex } from './parts.tsx';
import { RuleTextEditor } from './RuleTextEditor.tsx';
import { placementHint, STMT_KINDS, StatementEditor } from './StatementEditor.tsx';
import { parseRuleText, type RuleTextResult } from './text.ts';
import { VerdictEditor } from './VerdictEditor.tsx';
import { sameDataProps, useBuilderContext, useStableNotes } from './stable.ts';

export interface RuleBuilderProps {
  rule: Rule;
  /** for pickers: its sets/maps, named objects, chains (jump/goto targets) */
  table: Table;
  /** the rule's chain: its hook and type decide what makes sense (nat, synproxy) */
  chain: Chain;
  /** linter findings for this rule (nodeId === rule.id), with `field` where known */
  diagnostics: Diagnostic[];
  /** e.g. '1.0.6'; features newer than it are marked */
  targetVersion: string;
  /** every accepted edit; the app turns a burst of typing into one undo step */
  onChange: (rule: Rule) => void;
}

type Mode = 'builder' | 'text';

interface Local {
  /** the rule the rows describe: the prop, or the last rule handed to onChange */
  source: Rule;
  mode: Mode;
  /** why the builder cannot show `source` */
  notInBuilder?: string;
  state?: BuilderState;
  /** `stateToRule` of `state`, as the last edit computed it (not computed again to render) */
  built?: { state: BuilderState; ctx: BuilderContext; result: ToRule };
  text: string;
  textResult?: RuleTextResult;
}

export function sameRule(a: Rule, b: Rule): boolean {
  return a === b || ((a.comment ?? null) === (b.comment ?? null) && JSON.stringify(a.stmts) === JSON.stringify(b.stmts));
}

function init(rule: Rule, ctx: BuilderContext, preferText: boolean): Local {
  const conv = ruleToState(rule, ctx);
  const text = emitRule(rule, ctx.family);
  if (!conv.ok) return { source: rule, mode: 'text', notInBuilder: conv.reason, text };
  return { source: rule, mode: preferText ? 'text' : 'builder', state: conv.state, text };
}

function move<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list];
  const [x] = out.splice(from, 1);
  out.splice(to, 0, x);
  return out;
}

const SectionTitle = memo(function SectionTitle({ title, help }: { title: string; help?: string }) {
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', mb: 0.5 }}>
      <Typography variant="subtitle2" component="h3">
        {title}
      </Typography>
      {help && <HelpIcon topic={title.toLowerCase()} text={help} />}
    </Box>
  );
});

function Section({ title, help, children }: { title: string; help?: string; children: ReactNode }) {
  return (
    <Box component="section" aria-label={title} sx={{ mt: 1.5 }}>
      <SectionTitle title={title} help={help} />
      {children}
    </Box>
  );
}

/** "Add statement" and its menu of kinds (with where each belongs in this chain); focus goes to the new statement once the menu has closed. */
const AddStatement = memo(function AddStatement({ ctx, count, onAdd }: { ctx: BuilderContext; count: number; onAdd: (kind: StmtChoice) => void }) {
  const [menuAnchor, setMenuAnchor] = useState<HTMLElement | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  /** where focus goes once the menu has closed (the menu holds focus until then) */
  const menuFocusRef = useRef<string | undefined>(undefined);
  const focusTestId = (id: string) => button.current?.closest('[data-testid="rule.builder"]')?.querySelector<HTMLElement>(`[data-testid="${id}"]`)?.focus();
  return (
    <>
      <Button ref={button} startIcon={<AddIcon />} data-testid="rule.stmt.add" aria-haspopup="menu" aria-expanded={menuAnchor ? true : undefined} onClick={(e) => setMenuAnchor(e.currentTarget)}>
        Add statement
      </Button>
      <Menu
        anchorEl={menuAnchor}
        open={menuAnchor !== null}
        disableRestoreFocus
        // closing at once hands focus to the new statement before the next key press
        transitionDuration={{ enter: 150, exit: 0 }}
        onClose={() => {
          setMenuAnchor(null);
          menuFocusRef.current = 'rule.stmt.add';
        }}
        slotProps={{
          transition: {
            onExited: () => {
              const id = menuFocusRef.current;
              menuFocusRef.current = undefined;
              if (id) focusTestId(id);
            },
          },
        }}
      >
        {menuAnchor !== null &&
          STMT_KINDS.map((k) => {
            const hint = placementHint(k.kind, ctx);
            return (
              <MenuItem
                key={k.kind}
                data-testid={`rule.stmt.add.${k.kind}`}
                onClick={() => {
                  setMenuAnchor(null);
                  menuFocusRef.current = `rule.stmt.${count}.kind`;
                  onAdd(k.kind);
                }}
              >
                <ListItemText primary={k.label} secondary={hint ?? k.doc} slotProps={{ secondary: { sx: { color: hint ? 'warning.main' : undefined, maxWidth: 360, whiteSpace: 'normal' } } }} />
              </MenuItem>
            );
          })}
      </Menu>
    </>
  );
}, sameDataProps);

/** "Rule", and the choice between the builder and the rule as text. */
const ModeBar = memo(function ModeBar({ mode, builderCanShow, notInBuilder, onBuilder, onText }: { mode: Mode; builderCanShow: boolean; notInBuilder?: string; onBuilder: () => void; onText: () => void }) {
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
      <Typography variant="subtitle1" component="h2" sx={{ flex: 1 }}>
        Rule
      </Typography>
      <ToggleButtonGroup size="small" exclusive value={mode} aria-label="Edit the rule with">
        <Tooltip title={builderCanShow ? 'Edit in forms' : `The builder cannot show this rule: ${notInBuilder ?? 'the text has errors'}`}>
          <span>
            <ToggleButton value="builder" data-testid="rule.mode.builder" disabled={!builderCanShow && mode !== 'builder'} onClick={() => mode !== 'builder' && onBuilder()}>
              Builder
            </ToggleButton>
          </span>
        </Tooltip>
        <ToggleButton value="text" data-testid="rule.mode.text" onClick={() => mode !== 'text' && onText()}>
          Edit as text
        </ToggleButton>
      </ToggleButtonGroup>
    </Box>
  );
}, sameDataProps);

export function RuleBuilder({ rule, table, chain, diagnostics, targetVersion, onChange }: RuleBuilderProps): JSX.Element {
  const ctx = useBuilderContext(table, chain);
  const [local, setLocal] = useState<Local>(() => init(rule, ctx, false));
  // what callbacks read when called: the rows' editors skip re-rendering while their own props stay the same, keeping older callbacks
  const latest = useRef({ local, ctx, onChange });
  useLayoutEffect(() => {
    latest.current = { local, ctx, onChange };
  });
  const [newRowKey, setNewRowKey] = useState<string | undefined>();
  const rootRef = useRef<HTMLDivElement>(null);
  const focusRef = useRef<string | undefined>(undefined);

  // The rule changed from outside (undo, preview edit): rebuild from it, unless it says the same.
  if (rule !== local.source) {
    if (sameRule(rule, local.source)) setLocal({ ...local, source: rule });
    else setLocal(init(rule, ctx, local.mode === 'text' && local.notInBuilder === undefined));
  }

  useEffect(() => {
    const id = focusRef.current;
    if (!id) return;
    focusRef.current = undefined;
    rootRef.current?.querySelector<HTMLElement>(`[data-testid="${id}"]`)?.focus();
  });
  const built = useMemo(() => {
    if (!local.state) return undefined;
    const b = local.built;
    // only the rule's id is read from the source, and it is the same
    return b && b.state === local.state && b.ctx === ctx ? b.result : stateToRule(local.state, ctx, local.source);
  }, [local.state, local.built, local.source, ctx]);
  const placed = useMemo(() => placeDiagnostics(diagnostics, local.mode === 'builder' ? local.state : undefined, rule.id), [diagnostics, local.mode, local.state, rule.id]);
  const notes = useStableNotes(
    useMemo<NotesIndex>(() => {
      const problems = new Map<string, Problem[]>();
      for (const p of built?.problems ?? []) problems.set(p.path, [...(problems.get(p.path) ?? []), p]);
      return { problems, findings: placed.byPath };
    }, [built, placed]),
  );

  /** Take new rows; hand the rule to the app when they are complete and valid. */
  const applyState = (next: BuilderState, focus?: string) => {
    const { local: cur, ctx: c, onChange: changed } = latest.current;
    const res = stateToRule(next, c, cur.source);
    let source = cur.source;
    if (!res.problems.some(blocks) && !sameRule(res.rule, cur.source)) {
      source = res.rule;
      changed(res.rule);
    }
    if (focus) focusRef.current = focus;
    const after = { ...cur, state: next, source, built: { state: next, ctx: c, result: res } };
    latest.current = { ...latest.current, local: after };
    setLocal(after);
  };
  /** New rows from the latest ones (callbacks of rows that did not re-render still see the newest state). */
  const update = (fn: (s: BuilderState) => BuilderState, focus?: (s: BuilderState) => string) => {
    const cur = latest.current.local.state;
    if (cur) applyState(fn(cur), focus?.(cur));
  };

  /** Change, move and remove for row `i` of the matches or the statements; after a move or a removal the focus stays where the keyboard was. */
  const rowEdits = <K extends 'matches' | 'stmts'>(key: K, testId: 'match' | 'stmt', i: number) => {
    type Row = BuilderState[K][number];
    const rows = (st: BuilderState): Row[] => st[key];
    const put = (st: BuilderState, list: Row[]): BuilderState => ({ ...st, [key]: list });
    return {
      onChange: (row: Row) => update((st) => put(st, rows(st).map((x, j) => (j === i ? row : x)))),
      onMove: (to: number) => update((st) => put(st, move(rows(st), i, to)), () => `rule.${testId}.${to}.${to === 0 ? 'down' : 'up'}`),
      onRemove: () => update((st) => put(st, rows(st).filter((_, j) => j !== i)), (st) => (rows(st).length > 1 ? `rule.${testId}.${Math.max(0, i - 1)}.remove` : `rule.${testId}.add`)),
    };
  };

  const editText = (text: string) => {
    const res = parseRuleText(text, ctx.family, rule.id);
    let source = local.source;
    if (res.rule && !sameRule(res.rule, local.source)) {
      source = res.rule;
      onChange(res.rule);
    }
    setLocal({ ...local, text, textResult: res, source });
  };

  const openBuilder = () => {
    const { local: cur, ctx: c } = latest.current;
    const conv = ruleToState(cur.source, c);
    if (!conv.ok) {
      setLocal({ ...cur, mode: 'text', notInBuilder: conv.reason });
      return;
    }
    focusRef.current = 'rule.mode.builder';
    setLocal({ ...cur, mode: 'builder', state: conv.state, notInBuilder: undefined, textResult: undefined });
  };

  const openText = () => {
    const { local: cur, ctx: c } = latest.current;
    focusRef.current = 'rule.text';
    setLocal({ ...cur, mode: 'text', text: emitRule(cur.source, c.family), textResult: undefined });
  };

  const textErrors = local.textResult?.findings.some((f) => f.severity === 'error') ?? false;
  // In text mode: could the builder show the rule (the last text that parsed)? Text with errors is left behind.
  const builderCanShow = useMemo(() => local.mode === 'builder' || ruleToState(local.source, ctx).ok, [local.mode, local.source, ctx]);

  const onTextBlur = () => {
    // A rule that opened as text goes back to the builder once it is something the builder shows.
    if (local.notInBuilder !== undefined && builderCanShow && !textErrors) openBuilder();
  };

  const s = local.state;
  // the empty-rule note speaks for itself; count only fields
  const blocking = built?.problems.filter((p) => blocks(p) && p.path !== 'rule') ?? [];
  const ruleProblems = (built?.problems ?? []).filter((p) => p.path === 'rule');
  const commentBytes = s ? byteLength(s.comment) : 0;

  return (
    <Box ref={rootRef} data-testid="rule.builder" sx={{ display: 'flex', flexDirection: 'column', minWidth: 0 }}>
      <ModeBar mode={local.mode} builderCanShow={builderCanShow} notInBuilder={local.notInBuilder} onBuilder={openBuilder} onText={openText} />

      {placed.rule.length > 0 && (
        <Box data-testid="rule.findings" sx={{ mt: 0.5 }}>
          {placed.rule.map((d, i) => (
            <FindingLine key={i} d={d} />
          ))}
        </Box>
      )}

      {local.mode === 'text' || !s ? (
        <Box sx={{ mt: 1 }}>
          <RuleTextEditor
            text={local.text}
            result={local.textResult}
            notInBuilder={local.notInBuilder}
            builderCanShow={builderCanShow}
            onText={editText}
            onBlur={onTextBlur}
            onOpenBuilder={openBuilder}
          />
        </Box>
      ) : (
        <NotesContext.Provider value={notes}>
          {blocking.length > 0 && (
            <Typography role="status" data-testid="rule.status" variant="body2" color="textSecondary" sx={{ mt: 0.5 }}>
              {blocking.length === 1 ? 'One field needs' : `${blocking.length} fields need`} attention; the rule stays as it was until then.
            </Typography>
          )}
          {ruleProblems.map((p, i) => (
            <Alert key={i} severity={p.severity === 'error' ? 'error' : 'info'} data-testid="rule.problem" sx={{ mt: 0.5, py: 0 }}>
              {p.message}
            </Alert>
          ))}

          <Section title="Match" help="The rule applies to packets that match all of these (each one narrows it down). Several values in one match mean any of them. With no match, the rule applies to every packet.">
            {s.matches.map((m, i) => (
              <MatchEditor
                key={m.key}
                row={m}
                index={i}
                count={s.matches.length}
                ctx={ctx}
                autoFocus={m.key === newRowKey}
                {...rowEdits('matches', 'match', i)}
              />
            ))}
            <Button
              startIcon={<AddIcon />}
              data-testid="rule.match.add"
              onClick={() => {
                const row = newMatchRow();
                setNewRowKey(row.key);
                update((st) => ({ ...st, matches: [...st.matches, row] }));
              }}
            >
              Add match
            </Button>
          </Section>

          <Section title="Statements" help="What the rule does to matching packets before the verdict, in this order: count, log, limit, skip conntrack, synproxy, NAT, set marks, update sets.">
            {s.stmts.map((r, i) => (
              <StatementEditor
                key={r.key}
                row={r}
                index={i}
                count={s.stmts.length}
                ctx={ctx}
                matches={s.matches}
                targetVersion={targetVersion}
                {...rowEdits('stmts', 'stmt', i)}
              />
            ))}
            <AddStatement ctx={ctx} count={s.stmts.length} onAdd={(kind) => update((st) => ({ ...st, stmts: [...st.stmts, newStmtRow(kind, ctx)] }))} />
          </Section>

          <Section title="Verdict">
            <VerdictEditor verdict={s.verdict} ctx={ctx} onChange={(v) => update((st) => ({ ...st, verdict: v }))} />
          </Section>

          <Box sx={{ mt: 1.5 }}>
            <TextInput
              label="Comment"
              path="comment"
              testId="rule.comment"
              width="100%"
              placeholder="what this rule is for"
              value={s.comment}
              onChange={(v) => update((st) => ({ ...st, comment: v }))}
              help={`Shown in nft's listing after the rule. At most ${COMMENT_MAX_BYTES} bytes (UTF-8), one line, no double quote: nft strings have no escape.`}
              helpTopic="the comment"
            />
            {s.comment !== '' && (
              <Typography variant="caption" color={commentBytes > COMMENT_MAX_BYTES ? 'error' : 'textSecondary'}>
                {commentBytes}/{COMMENT_MAX_BYTES} bytes
              </Typography>
            )}
          </Box>
        </NotesContext.Provider>
      )}
    </Box>
  );
}

export default RuleBuilder;
