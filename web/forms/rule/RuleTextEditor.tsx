/**
 * The rule as nft text, checked as it is typed: parse errors show with their
 * column, and the model changes only when the text parses cleanly.
 */
import { Alert, Box, Button, FormHelperText, TextField } from '@mui/material';
import { useId } from 'react';
import type { RuleTextResult, TextFinding } from './text.ts';

function where(f: TextFinding, multiline: boolean): string {
  if (f.col === undefined) return '';
  return multiline && f.line !== undefined ? `line ${f.line}, column ${f.col}: ` : `column ${f.col}: `;
}

export interface RuleTextEditorProps {
  text: string;
  result: RuleTextResult | undefined;
  /** why the builder cannot show the rule, when it cannot */
  notInBuilder?: string;
  /** the current text could be shown in the builder */
  builderCanShow: boolean;
  onText: (text: string) => void;
  onBlur: () => void;
  onOpenBuilder: () => void;
}

export function RuleTextEditor({ text, result, notInBuilder, builderCanShow, onText, onBlur, onOpenBuilder }: RuleTextEditorProps) {
  const notesId = useId();
  const findings = result?.findings ?? [];
  const hasError = findings.some((f) => f.severity === 'error');
  const multiline = text.includes('\n');
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
      {notInBuilder && (
        <Alert severity="info" data-testid="rule.text.reason" action={builderCanShow && !hasError ? <Button color="inherit" onClick={onOpenBuilder}>Open in builder</Button> : undefined}>
          {builderCanShow && !hasError ? 'The builder can show this rule now.' : `The builder cannot show this rule: ${notInBuilder}. Edit it as text; it is checked as you type.`}
        </Alert>
      )}
      <TextField
        label="Rule (nft syntax)"
        value={text}
        onChange={(e) => onText(e.target.value)}
        onBlur={onBlur}
        error={hasError}
        multiline
        minRows={2}
        maxRows={10}
        fullWidth
        slotProps={{
          htmlInput: {
            'data-testid': 'rule.text',
            'aria-describedby': findings.length ? notesId : undefined,
            'aria-invalid': hasError || undefined,
            spellCheck: false,
            autoComplete: 'off',
            style: { fontFamily: 'monospace' },
          },
        }}
      />
      <Box id={notesId} data-testid="rule.text.notes" role={hasError ? 'alert' : 'status'}>
        {findings.map((f, i) => (
          <FormHelperText key={i} error={f.severity === 'error'} sx={{ mx: 0, color: f.severity === 'info' ? 'info.main' : f.severity === 'warning' ? 'warning.main' : undefined }}>
            {where(f, multiline)}
            {f.message}
          </FormHelperText>
        ))}
        {hasError && <FormHelperText sx={{ mx: 0 }}>The rule stays as it was until the text is a valid rule.</FormHelperText>}
      </Box>
    </Box>
  );
}
