/**
 * The tour: a ring around one pane and a card beside it saying what the pane
 * does; Next / Back / Done, Esc ends it. Not modal: the app stays usable.
 */
import { Box, Button, Paper, Typography } from '@mui/material';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { endTour, TOUR, useTour } from './tour.ts';

function rectOf(testId: string): DOMRect | null {
  const el = document.querySelector(`[data-testid="${CSS.escape(testId)}"]`);
  if (!el) return null;
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 ? r : null;
}

export default function Tour({ stop }: { stop: number }) {
  const [rect, setRect] = useState<DOMRect | null>(null);
  const nextRef = useRef<HTMLButtonElement | null>(null);
  const s = TOUR[stop];
  useLayoutEffect(() => {
    const read = (): void => setRect(s ? rectOf(s.target) : null);
    read();
    window.addEventListener('resize', read);
    return () => window.removeEventListener('resize', read);
  }, [s]);
  useEffect(() => {
    nextRef.current?.focus();
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') endTour();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [stop]);
  if (!s) return null;
  const go = (i: number): void => useTour.setState({ stop: i });
  const last = stop === TOUR.length - 1;
  // the card goes where there is room: beside the pane, else inside it at the top
  const vw = window.innerWidth;
  const vh = window.innerHeight;
  const cardW = Math.min(340, vw - 16);
  let left = 8;
  let top = 8;
  if (rect) {
    if (rect.right + cardW + 16 <= vw) left = rect.right + 8;
    else if (rect.left - cardW - 16 >= 0) left = rect.left - cardW - 8;
    else left = Math.max(8, Math.min(vw - cardW - 8, rect.left + 8));
    top = Math.max(8, Math.min(vh - 220, rect.top + 8));
    if (rect.height < 120 && rect.bottom + 200 < vh) top = rect.bottom + 8;
  }
  return (
    <>
      {rect && (
        <Box
          aria-hidden
          data-testid="tour.ring"
          sx={{ position: 'fixed', left: rect.left + 2, top: rect.top + 2, width: rect.width - 4, height: rect.height - 4, border: 3, borderColor: 'secondary.main', borderRadius: 1, zIndex: 1250, pointerEvents: 'none', boxShadow: '0 0 0 9999px rgba(0,0,0,0.25)' }}
        />
      )}
      <Paper
        role="dialog"
        aria-modal={false}
        aria-labelledby="tour-title"
        aria-describedby="tour-text"
        data-testid="tour"
        elevation={8}
        sx={{ position: 'fixed', left, top, width: cardW, zIndex: 1251, p: 2 }}
      >
        <Typography variant="caption" color="text.secondary">
          Tour · {stop + 1} of {TOUR.length}
        </Typography>
        <Typography id="tour-title" variant="h6" component="h2" sx={{ fontSize: 17 }}>
          {s.title}
        </Typography>
        <Typography id="tour-text" variant="body2" sx={{ my: 1 }}>
          {s.text}
        </Typography>
        <Box sx={{ display: 'flex', gap: 1, justifyContent: 'flex-end' }}>
          <Button onClick={endTour} data-testid="tour.end">
            {last ? 'Close' : 'End the tour'}
          </Button>
          <Button onClick={() => go(stop - 1)} disabled={stop === 0} data-testid="tour.back">
            Back
          </Button>
          <Button ref={nextRef} variant="contained" onClick={() => (last ? endTour() : go(stop + 1))} data-testid="tour.next">
            {last ? 'Done' : 'Next'}
          </Button>
        </Box>
      </Paper>
    </>
  );
}
