/**
 * A block of text (shell commands, nft text) with a Copy button. Uses the
 * asynchronous clipboard API; where it is missing or refused (plain http, an
 * embedded browser, a denied permission) the text is selected so that Ctrl+C
 * copies it, and the status line says so.
 */
import { useRef, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';

export type CopyOutcome = 'copied' | 'selected';

/** Select the contents of `el` in the document. */
function selectContents(el: HTMLElement): boolean {
  const selection = window.getSelection();
  if (!selection) return false;
  const range = document.createRange();
  range.selectNodeContents(el);
  selection.removeAllRanges();
  selection.addRange(range);
  return true;
}

export async function copyText(text: string, fallbackEl: HTMLElement | null): Promise<CopyOutcome> {
  const clipboard = typeof navigator !== 'undefined' ? navigator.clipboard : undefined;
  if (clipboard && typeof clipboard.writeText === 'function') {
    try {
      await clipboard.writeText(text);
      return 'copied';
    } catch {
      // refused: fall through to selecting the text
    }
  }
  if (fallbackEl && selectContents(fallbackEl)) {
    try {
      if (typeof document.execCommand === 'function' && document.execCommand('copy')) return 'copied';
    } catch {
      // execCommand is unavailable here; the selection stays for Ctrl+C
    }
  }
  return 'selected';
}

export interface CopyBlockProps {
  text: string;
  /** accessible name of the text block */
  label: string;
  testId?: string;
  copyTestId?: string;
  maxHeight?: number | string;
  /** wrap long lines instead of scrolling sideways */
  wrap?: boolean;
}

export function CopyBlock({ text, label, testId, copyTestId, maxHeight = 260, wrap = false }: CopyBlockProps) {
  const preRef = useRef<HTMLPreElement>(null);
  const [status, setStatus] = useState('');
  const onCopy = async () => {
    const outcome = await copyText(text, preRef.current);
    setStatus(outcome === 'copied' ? 'Copied to the clipboard.' : 'The clipboard is not available here: the text is selected, press Ctrl+C to copy it.');
  };
  return (
    <Box>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 0.5 }}>
        <Button variant="outlined" startIcon={<ContentCopyIcon />} onClick={() => void onCopy()} data-testid={copyTestId} aria-label={`Copy: ${label}`}>
          Copy
        </Button>
        <Typography variant="body2" role="status" aria-live="polite" sx={{ color: 'text.secondary' }}>
          {status}
        </Typography>
      </Box>
      <Box
        component="pre"
        ref={preRef}
        tabIndex={0}
        aria-label={label}
        data-testid={testId}
        sx={{
          m: 0,
          p: 1,
          maxHeight,
          overflow: 'auto',
          fontFamily: '"DejaVu Sans Mono", Consolas, monospace',
          fontSize: 12,
          lineHeight: 1.45,
          bgcolor: 'action.hover',
          border: 1,
          borderColor: 'divider',
          borderRadius: 1,
          whiteSpace: wrap ? 'pre-wrap' : 'pre',
          overflowWrap: wrap ? 'anywhere' : 'normal',
          tabSize: 8,
        }}
      >
        {text}
      </Box>
    </Box>
  );
}
