/**
 * A pane splitter (WAI-ARIA window splitter: role=separator with a value):
 * drag with the pointer, or focus it and use the arrow keys (Shift for bigger
 * steps, Home/End for the limits); a double click puts the default size back.
 */
import { Box } from '@mui/material';
import { useRef } from 'react';

export interface SplitterProps {
  /** what it resizes, said to screen readers: "Resize the navigator" */
  label: string;
  testId: string;
  orientation: 'vertical' | 'horizontal';
  /** the size of the pane it resizes, in CSS px, and its limits */
  value: number;
  min: number;
  max: number;
  /** +1 if dragging right/down makes the pane bigger, -1 if smaller */
  direction: 1 | -1;
  onChange: (px: number) => void;
  onReset: () => void;
}

export function Splitter(p: SplitterProps) {
  const start = useRef<{ pos: number; value: number } | null>(null);
  const vertical = p.orientation === 'vertical';
  const set = (v: number): void => p.onChange(Math.round(Math.min(p.max, Math.max(p.min, v))));
  return (
    <Box
      role="separator"
      aria-label={p.label}
      aria-orientation={p.orientation}
      aria-valuenow={Math.round(p.value)}
      aria-valuemin={Math.round(p.min)}
      aria-valuemax={Math.round(p.max)}
      title={`${p.label} (drag, or arrow keys; double-click for the default)`}
      tabIndex={0}
      data-testid={p.testId}
      onPointerDown={(e: React.PointerEvent<HTMLElement>) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        start.current = { pos: vertical ? e.clientX : e.clientY, value: p.value };
        e.preventDefault();
      }}
      onPointerMove={(e: React.PointerEvent<HTMLElement>) => {
        if (!start.current) return;
        const d = (vertical ? e.clientX : e.clientY) - start.current.pos;
        set(start.current.value + p.direction * d);
      }}
      onPointerUp={() => (start.current = null)}
      onPointerCancel={() => (start.current = null)}
      onDoubleClick={p.onReset}
      onKeyDown={(e: React.KeyboardEvent) => {
        const step = e.shiftKey ? 64 : 16;
        const grow: Record<string, number | undefined> = vertical ? { ArrowRight: 1, ArrowLeft: -1 } : { ArrowDown: 1, ArrowUp: -1 };
        const g = grow[e.key];
        if (g !== undefined) set(p.value + p.direction * g * step);
        else if (e.key === 'Home') set(p.min);
        else if (e.key === 'End') set(p.max);
        else return;
        e.preventDefault();
      }}
      sx={{
        [vertical ? 'width' : 'height']: 6,
        flexShrink: 0,
        cursor: vertical ? 'col-resize' : 'row-resize',
        bgcolor: 'divider',
        opacity: 0.6,
        touchAction: 'none',
        '&:hover, &:focus-visible': { opacity: 1, bgcolor: 'primary.main' },
        '&:focus-visible': { outline: 'none' },
      }}
    />
  );
}
