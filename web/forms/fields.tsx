/**
 * Form building blocks: every field shows, next to it, why it is wrong — the
 * linter's finding (with its longer "why" one click away) or the emitter's
 * refusal — and every change goes to the store as one undo step per burst.
 */
import { Box, Checkbox, FormControlLabel, FormHelperText, IconButton, MenuItem, TextField, Tooltip, Typography } from '@mui/material';
import InfoIcon from '@mui/icons-material/Info';
import { useState } from 'react';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import type { Ruleset } from '../../src/model/types.ts';
import { useDesign } from '../store/design.ts';
import { selectFit } from './selectFit.ts';

/** Findings of one node, grouped by field ('' for the node as a whole). */
export function fieldFindings(diagnostics: Diagnostic[], nodeId: string): Map<string, Diagnostic[]> {
  const m = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    if (d.nodeId !== nodeId) continue;
    const k = d.field ?? '';
    m.set(k, [...(m.get(k) ?? []), d]);
  }
  return m;
}

/** Findings of fields this form does not show a control for, and of the node as a whole. */
export function otherFindings(byField: Map<string, Diagnostic[]>, shown: readonly string[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [field, items] of byField) if (!shown.includes(field)) out.push(...items);
  return out;
}

export function change(nodeId: string, field: string, fn: (rs: Ruleset) => Ruleset): void {
  useDesign.getState().apply(fn, { coalesce: `${nodeId}:${field}` });
}

export function Findings({ items, testId }: { items: Diagnostic[] | undefined; testId?: string }) {
  const [open, setOpen] = useState<number | null>(null);
  if (!items?.length) return null;
  const worst = items.some((d) => d.severity === 'error') ? 'error' : items.some((d) => d.severity === 'warning') ? 'warning' : 'info';
  return (
    <Box data-testid={testId} role={worst === 'error' ? 'alert' : 'status'} sx={{ mt: 0.25 }}>
      {items.map((d, i) => (
        <FormHelperText key={i} error={d.severity === 'error'} sx={{ mx: 0, color: d.severity === 'warning' ? 'warning.main' : d.severity === 'info' ? 'info.main' : undefined }}>
          {d.severity === 'error' ? '' : `${d.severity}: `}
          {d.message}
          {d.why && (
            <>
              {' '}
              <Box
                component="button"
                type="button"
                onClick={() => setOpen(open === i ? null : i)}
                aria-expanded={open === i}
                // several notes in one form each have a "why?": the name says which note it explains
                aria-label={`why? (${d.message})`}
                sx={{ border: 0, p: 0, background: 'none', color: 'primary.main', cursor: 'pointer', font: 'inherit', textDecoration: 'underline' }}
              >
                why?
              </Box>
              {open === i && (
                <Box component="span" sx={{ display: 'block', color: 'text.secondary', mt: 0.25 }}>
                  {d.why}
                </Box>
              )}
            </>
          )}
        </FormHelperText>
      ))}
    </Box>
  );
}

export function Help({ text }: { text: string }) {
  return (
    <Tooltip title={<span style={{ whiteSpace: 'pre-line' }}>{text}</span>}>
      <IconButton aria-label={`Help: ${text.slice(0, 80)}`} sx={{ ml: 0.5 }}>
        <InfoIcon fontSize="small" />
      </IconButton>
    </Tooltip>
  );
}

export interface TextProps {
  label: string;
  value: string;
  onChange: (v: string) => void;
  findings?: Diagnostic[];
  testId: string;
  help?: string;
  placeholder?: string;
  width?: number | string;
  type?: 'text' | 'number';
  multiline?: boolean;
  rows?: number;
  monospace?: boolean;
  disabled?: boolean;
}

export function Text(p: TextProps) {
  const hasError = p.findings?.some((d) => d.severity === 'error') ?? false;
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', width: p.width ?? 260, maxWidth: '100%' }}>
      <Box sx={{ display: 'flex', alignItems: 'center' }}>
        <TextField
          label={p.label}
          value={p.value}
          onChange={(e) => p.onChange(e.target.value)}
          error={hasError}
          placeholder={p.placeholder}
          fullWidth
          multiline={p.multiline}
          minRows={p.rows}
          maxRows={p.multiline ? 16 : undefined}
          type={p.type === 'number' ? 'text' : 'text'}
          disabled={p.disabled}
          slotProps={{
            htmlInput: { 'data-testid': p.testId, inputMode: p.type === 'number' ? 'numeric' : undefined, spellCheck: false, style: p.monospace ? { fontFamily: 'monospace' } : undefined },
          }}
        />
        {p.help && <Help text={p.help} />}
      </Box>
      <Findings items={p.findings} testId={`${p.testId}.findings`} />
    </Box>
  );
}

export function Select<T extends string>(p: {
  label: string;
  value: T;
  options: readonly { value: T; label: string; disabled?: boolean }[];
  onChange: (v: T) => void;
  findings?: Diagnostic[];
  testId: string;
  help?: string;
  width?: number;
}) {
  const hasError = p.findings?.some((d) => d.severity === 'error') ?? false;
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', width: `max(${p.width ?? 200}px, calc(${selectFit(p.label, p.options)} + ${p.help ? 34 : 0}px))`, maxWidth: '100%', minWidth: 0 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', minWidth: 0 }}>
        <TextField
          select
          // as wide as its longest option; in a narrower form its value wraps rather than being cut
          sx={{ minWidth: 0, '& .MuiSelect-select': { whiteSpace: 'normal', overflowWrap: 'anywhere' } }}
          label={p.label}
          value={p.value}
          error={hasError}
          onChange={(e) => p.onChange(e.target.value as T)}
          fullWidth
          slotProps={{ select: { SelectDisplayProps: { 'data-testid': p.testId, 'aria-label': p.label } as React.HTMLAttributes<HTMLDivElement> } }}
        >
          {p.options.map((o) => (
            <MenuItem key={o.value} value={o.value} disabled={o.disabled}>
              {o.label}
            </MenuItem>
          ))}
        </TextField>
        {p.help && <Help text={p.help} />}
      </Box>
      <Findings items={p.findings} testId={`${p.testId}.findings`} />
    </Box>
  );
}

export function Check(p: { label: string; checked: boolean; onChange: (v: boolean) => void; testId: string; help?: string }) {
  return (
    <Box sx={{ display: 'flex', alignItems: 'center' }}>
      <FormControlLabel control={<Checkbox checked={p.checked} onChange={(e) => p.onChange(e.target.checked)} slotProps={{ input: { 'data-testid': p.testId } as React.InputHTMLAttributes<HTMLInputElement> }} />} label={p.label} />
      {p.help && <Help text={p.help} />}
    </Box>
  );
}

export function FormTitle({ kind, name, children }: { kind: string; name: string; children?: React.ReactNode }) {
  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 1, mb: 1.5 }}>
      <Typography variant="h6" component="h2" sx={{ fontSize: 17, minWidth: 0, overflowWrap: 'anywhere' }}>
        {kind} <Box component="span" sx={{ fontFamily: 'monospace' }}>{name}</Box>
      </Typography>
      <Box sx={{ flex: 1 }} />
      {children}
    </Box>
  );
}

export function Row({ children }: { children: React.ReactNode }) {
  return <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1.5, alignItems: 'flex-start', mb: 1.5 }}>{children}</Box>;
}

/** `undefined` for an empty string, else the string (optional model fields). */
export function opt(s: string): string | undefined {
  return s === '' ? undefined : s;
}
