/**
 * The Lessons tab: the shipped lessons and a trainer's imported ones (file
 * picker or drag and drop of a .json lesson file), the open lesson's steps
 * with their status (met / current / to do), the current step's task, what is
 * still missing or why it works once met, progress, "I understand" for the
 * steps the app cannot check, and "Reset for the next class".
 *
 * Goals are checked live against the design (src/lessons/evaluate.ts) and the
 * linter's findings for exactly that design. Every text of a lesson is shown
 * as text (React text nodes, `white-space: pre-line`), never as HTML.
 */
import CheckCircle from '@mui/icons-material/CheckCircle';
import HourglassEmpty from '@mui/icons-material/HourglassEmpty';
import RestartAlt from '@mui/icons-material/RestartAlt';
import UploadFile from '@mui/icons-material/UploadFile';
import {
  Alert,
  Box,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControlLabel,
  IconButton,
  LinearProgress,
  MenuItem,
  TextField,
  Tooltip,
  Typography,
} from '@mui/material';
import { useDeferredValue, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { Lesson, Paragraph } from '../../src/lessons/format.ts';
import { LESSON_LIMITS } from '../../src/lessons/format.ts';
import { describeGoal, evaluateLesson, type StepResult } from '../../src/lessons/evaluate.ts';
import { knowledgeText } from '../../src/lessons/knowledge.ts';
import { parseLessonText } from '../../src/lessons/validate.ts';
import { useFileDrop } from '../dialogs/fileDrop.ts';
import { useDesign } from '../store/design.ts';
import { newDesign, removeAllDesigns, useSession } from '../store/session.ts';
import { useUi } from '../store/ui.ts';
import { plural } from '../words.ts';
import { SHIPPED } from './shipped.ts';
import { progressOf, useLessons } from './store.ts';
import { useLessonFindings } from './useLessonFindings.ts';
import { HiddenFileInput } from '../dialogs/FileInput.tsx';

/** A file larger than this many bytes is refused before it is read (UTF-8 needs up to 3 bytes per character of the limit). */
const MAX_FILE_BYTES = LESSON_LIMITS.fileChars * 3;

type ImportMessage = { severity: 'success' | 'error'; title: string; errors: string[] };

export default function LessonsPanel() {
  const imported = useLessons((s) => s.imported);
  const openId = useLessons((s) => s.open);
  const all = useMemo(() => [...SHIPPED, ...imported], [imported]);
  const lesson = all.find((l) => l.id === openId) ?? null;
  const [message, setMessage] = useState<ImportMessage | null>(null);
  const [resetOpen, setResetOpen] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  // a new step starts at its top: the panel is short, the step's text may have been scrolled
  const body = useRef<HTMLDivElement>(null);
  const stepShown = useLessons((s) => (s.open ? s.lessons[s.open]?.current : undefined));
  useEffect(() => {
    body.current?.scrollTo?.({ top: 0 });
  }, [openId, stepShown]);

  const readFile = (f: File): void => {
    if (f.size > MAX_FILE_BYTES) {
      setMessage({ severity: 'error', title: `${f.name} was not imported`, errors: [`(file): too large: a lesson file holds at most ${Math.round(LESSON_LIMITS.fileChars / 1024)} KiB, this one is ${Math.ceil(f.size / 1024)} KiB`] });
      return;
    }
    void f.text().then(
      (text) => {
        const r = parseLessonText(text);
        if (!r.ok) {
          setMessage({ severity: 'error', title: `${f.name} is not a lesson this app can use; nothing was imported`, errors: r.errors });
          return;
        }
        const out = useLessons.getState().addImported(r.lesson);
        if (!out.ok) setMessage({ severity: 'error', title: `${f.name} was not imported`, errors: [out.error] });
        else setMessage({ severity: 'success', title: `${out.replaced ? 'Replaced' : 'Imported'} the lesson "${r.lesson.title}" (${plural(r.lesson.steps.length, 'step')}).`, errors: [] });
      },
      (e: unknown) => setMessage({ severity: 'error', title: `${f.name} could not be read`, errors: [String(e)] }),
    );
  };
  const drop = useFileDrop(readFile);

  return (
    <Box
      {...drop.handlers}
      data-testid="lessons"
      data-dragging={drop.dragging || undefined}
      sx={{ height: '100%', display: 'flex', flexDirection: 'column', minHeight: 0, outline: drop.dragging ? 2 : 0, outlineStyle: 'dashed', outlineColor: 'primary.main', outlineOffset: -4 }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5, px: 1, py: 0.5, borderBottom: 1, borderColor: 'divider' }}>
        <TextField
          select
          size="small"
          label="Lesson"
          value={lesson?.id ?? ''}
          onChange={(e) => useLessons.getState().openLesson(e.target.value || null)}
          sx={{ flex: '1 1 auto', minWidth: 0, '& .MuiSelect-select': { py: 0.5, fontSize: 13 } }}
          slotProps={{ select: { displayEmpty: true, SelectDisplayProps: { 'data-testid': 'lessons.pick' } as object }, inputLabel: { shrink: true } }}
        >
          <MenuItem value="">
            <em>All lessons</em>
          </MenuItem>
          {all.map((l) => (
            <MenuItem key={l.id} value={l.id} data-testid={`lessons.pick.${l.id}`}>
              {l.title}
              {SHIPPED.includes(l) ? '' : ' (imported)'}
            </MenuItem>
          ))}
        </TextField>
        <Tooltip title="Import a lesson file (.json); you can also drop one on this panel">
          <IconButton size="small" onClick={() => fileInput.current?.click()} data-testid="lessons.import" aria-label="Import a lesson file">
            <UploadFile fontSize="small" />
          </IconButton>
        </Tooltip>
        <HiddenFileInput ref={fileInput} accept=".json,application/json" label="Choose a lesson file (.json) to import" testId="lessons.file" onFile={readFile} />
        <Tooltip title="Reset for the next class: all lesson progress starts again">
          <IconButton size="small" onClick={() => setResetOpen(true)} data-testid="lessons.reset" aria-label="Reset for the next class" sx={{ color: 'warning.main' }}>
            <RestartAlt fontSize="small" />
          </IconButton>
        </Tooltip>
      </Box>
      {message && (
        <Alert
          severity={message.severity}
          role={message.severity === 'error' ? 'alert' : 'status'}
          onClose={() => setMessage(null)}
          data-testid={message.severity === 'error' ? 'lessons.importErrors' : 'lessons.imported'}
          sx={{ mx: 1.5, mt: 0.75, py: 0 }}
          slotProps={{ closeButton: { 'aria-label': 'Dismiss this message' } as object }}
        >
          {message.title}
          {message.errors.length > 0 && (
            <Box component="ul" sx={{ m: 0, pl: 2, fontFamily: 'monospace', fontSize: 12 }}>
              {message.errors.map((e, i) => (
                <li key={i}>{e}</li>
              ))}
            </Box>
          )}
        </Alert>
      )}
      <Box ref={body} sx={{ flex: 1, minHeight: 0, overflow: 'auto' }}>{lesson ? <LessonView key={lesson.id} lesson={lesson} imported={!SHIPPED.includes(lesson)} /> : <LessonList lessons={all} />}</Box>
      <ResetDialog open={resetOpen} onClose={() => setResetOpen(false)} />
    </Box>
  );
}

/** Paragraphs of a lesson: its own words, or a knowledge entry's text; always as text. */
function Paragraphs({ of, testId }: { of: readonly Paragraph[]; testId?: string }) {
  return (
    <Box data-testid={testId}>
      {of.map((p, i) => (
        <Typography
          key={i}
          variant="body2"
          component="p"
          data-knowledge={typeof p === 'string' ? undefined : p.explain}
          sx={{ whiteSpace: 'pre-line', my: 0.5, ...(typeof p === 'string' ? {} : { borderLeft: 3, borderColor: 'info.main', pl: 1 }) }}
        >
          {typeof p === 'string' ? p : knowledgeText(p.explain)}
        </Typography>
      ))}
    </Box>
  );
}

function LessonList({ lessons }: { lessons: readonly Lesson[] }) {
  const progress = useLessons((s) => s.lessons);
  return (
    <Box sx={{ p: 1.5 }}>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        Step-by-step exercises, checked against your design as you build it. A trainer can import a lesson file (.json) with the import button above, or by dropping the file on this panel.
      </Typography>
      <Box component="ul" sx={{ listStyle: 'none', m: 0, p: 0, display: 'grid', gap: 1, gridTemplateColumns: 'repeat(auto-fill, minmax(min(260px, 100%), 1fr))' }}>
        {lessons.map((l) => {
          const confirmed = progress[l.id]?.confirmed.length ?? 0;
          const started = progress[l.id] !== undefined;
          return (
            <Box component="li" key={l.id} sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 1, display: 'flex', flexDirection: 'column', gap: 0.5 }} data-testid={`lessons.card.${l.id}`}>
              <Typography variant="subtitle2" component="h3">
                {l.title}
              </Typography>
              <Typography variant="caption" color="text.secondary">
                {plural(l.steps.length, 'step')}
                {SHIPPED.includes(l) ? '' : ' · imported'}
                {l.author ? ` · by ${l.author}` : ''}
                {started ? ` · started${confirmed ? `, ${plural(confirmed, 'step')} confirmed` : ''}` : ''}
              </Typography>
              {l.summary && <Typography variant="body2" sx={{ whiteSpace: 'pre-line', display: '-webkit-box', WebkitLineClamp: 3, WebkitBoxOrient: 'vertical', overflow: 'hidden' }}>{typeof l.summary[0] === 'string' ? l.summary[0] : knowledgeText(l.summary[0].explain)}</Typography>}
              <Box>
                <Button size="small" variant="contained" onClick={() => useLessons.getState().openLesson(l.id)} data-testid={`lessons.start.${l.id}`} aria-label={`${started ? 'Continue' : 'Start'} the lesson "${l.title}"`}>
                  {started ? 'Continue' : 'Start'}
                </Button>
              </Box>
            </Box>
          );
        })}
      </Box>
    </Box>
  );
}

const STATUS_WORDS = { met: 'met', current: 'current', todo: 'to do' } as const;

function LessonView({ lesson, imported }: { lesson: Lesson; imported: boolean }) {
  const ruleset = useDeferredValue(useDesign((s) => s.ruleset));
  const findings = useLessonFindings();
  const progress = useLessons((s) => progressOf(s, lesson.id));
  const confirmed = useMemo(() => new Set(progress.confirmed), [progress.confirmed]);
  const results = useMemo(() => evaluateLesson(lesson, { ruleset, findings, confirmed }), [lesson, ruleset, findings, confirmed]);
  const current = Math.min(progress.current, lesson.steps.length - 1);
  const step = lesson.steps[current];
  const result = results[current];
  const metCount = results.filter((r) => r.status === 'met').length;
  const done = metCount === lesson.steps.length;
  const go = (i: number): void => useLessons.getState().setStep(lesson.id, Math.max(0, Math.min(lesson.steps.length - 1, i)));
  const headingId = useId();
  const progressLabel = `Lesson progress: ${metCount} of ${plural(lesson.steps.length, 'step')} met`;

  return (
    <Box component="section" aria-labelledby={headingId} data-testid="lesson" data-lesson={lesson.id} sx={{ px: 1.5, py: 0.75 }}>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', columnGap: 1 }}>
        <Typography variant="subtitle2" component="h2" id={headingId} sx={{ fontWeight: 600 }}>
          {lesson.title}
        </Typography>
        <Typography variant="caption" color="text.secondary" data-testid="lesson.position" aria-live="polite">
          Step {current + 1} of {lesson.steps.length} · {metCount} met{done ? ' · lesson complete' : ''}
        </Typography>
        {imported && (
          <Button size="small" onClick={() => useLessons.getState().removeImported(lesson.id)} data-testid="lesson.remove" aria-label={`Remove the imported lesson "${lesson.title}"`} sx={{ ml: 'auto', py: 0 }}>
            Remove lesson
          </Button>
        )}
      </Box>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mt: 0.5 }}>
        <Box component="ol" aria-label="Steps" sx={{ listStyle: 'none', m: 0, p: 0, display: 'flex', flexWrap: 'wrap', gap: 0.25 }}>
          {lesson.steps.map((s, i) => {
            const r = results[i];
            const st = r.status === 'met' ? 'met' : i === current ? 'current' : 'todo';
            const words = r.status === 'pending' ? 'checking' : STATUS_WORDS[st];
            return (
              <Box component="li" key={s.id}>
                <Tooltip title={`${i + 1}. ${s.title} (${words})`}>
                  <Box
                    component="button"
                    type="button"
                    onClick={() => go(i)}
                    aria-current={i === current ? 'step' : undefined}
                    aria-label={`Step ${i + 1}: ${s.title} (${words})`}
                    data-testid={`lesson.step.${s.id}`}
                    data-status={st}
                    sx={{
                      display: 'inline-flex',
                      alignItems: 'center',
                      justifyContent: 'center',
                      gap: 0.25,
                      minWidth: 30,
                      height: 26,
                      px: 0.5,
                      border: 1,
                      borderRadius: 13,
                      borderColor: st === 'met' ? 'success.main' : i === current ? 'primary.main' : 'divider',
                      font: 'inherit',
                      fontSize: 12,
                      fontWeight: i === current ? 700 : 400,
                      color: 'text.primary',
                      bgcolor: i === current ? 'action.selected' : 'transparent',
                      outlineOffset: 1,
                      cursor: 'pointer',
                      '&:hover': { bgcolor: 'action.hover' },
                      '&:focus-visible': { outline: 2, outlineStyle: 'solid', outlineColor: 'primary.main' },
                    }}
                  >
                    <StatusIcon status={st} pending={r.status === 'pending'} />
                    {i + 1}
                  </Box>
                </Tooltip>
              </Box>
            );
          })}
        </Box>
        <LinearProgress variant="determinate" value={(metCount / lesson.steps.length) * 100} aria-label={progressLabel} data-testid="lesson.progress" sx={{ flex: '1 1 60px', minWidth: 40, height: 6, borderRadius: 3 }} />
      </Box>
      {done && (
        <Alert severity="success" sx={{ py: 0, mt: 0.75 }} data-testid="lesson.complete">
          Every step is met. Well done!
        </Alert>
      )}
      <Box sx={{ mt: 0.75 }}>
        <StepView lesson={lesson} index={current} result={result} confirmed={confirmed.has(step.id)} onPrev={() => go(current - 1)} onNext={() => go(current + 1)} />
      </Box>
    </Box>
  );
}

function StatusIcon({ status, pending }: { status: 'met' | 'current' | 'todo'; pending: boolean }) {
  const sx = { fontSize: 15, flex: 'none' };
  if (pending) return <HourglassEmpty sx={{ ...sx, color: 'text.secondary' }} aria-hidden />;
  if (status === 'met') return <CheckCircle sx={{ ...sx, color: 'success.main' }} aria-hidden />;
  return null;
}

function StepView({ lesson, index, result, confirmed, onPrev, onNext }: { lesson: Lesson; index: number; result: StepResult; confirmed: boolean; onPrev: () => void; onNext: () => void }) {
  const step = lesson.steps[index];
  const isConfirm = step.goal.kind === 'confirm';
  const label = step.goal.kind === 'confirm' ? (step.goal.label ?? 'I understand') : '';
  const last = index === lesson.steps.length - 1;
  return (
    <Box data-testid="lesson.current" data-step={step.id} data-status={result.status}>
      <Typography variant="subtitle2" component="h3" sx={{ fontWeight: 600 }}>
        Step {index + 1}: {step.title}
      </Typography>
      <Paragraphs of={step.task} testId="lesson.task" />
      {isConfirm ? (
        <Typography variant="caption" color="text.secondary" component="p" sx={{ my: 0.5 }}>
          The designer cannot check this step (it is not in the ruleset): it is met when you confirm it.
        </Typography>
      ) : (
        <Typography variant="caption" color="text.secondary" component="p" sx={{ my: 0.5 }} data-testid="lesson.checks">
          The app checks for {describeGoal(step.goal)}.
        </Typography>
      )}
      <Box aria-live="polite" data-testid="lesson.result" sx={{ mt: 1 }}>
        {result.status === 'met' ? (
          <Alert severity="success" icon={false} sx={{ py: 0.25 }} data-testid="lesson.met">
            <Typography variant="body2" sx={{ fontWeight: 600 }}>
              Met.
            </Typography>
            {step.explain && <Paragraphs of={step.explain} testId="lesson.explain" />}
          </Alert>
        ) : result.status === 'pending' ? (
          <Typography variant="body2" color="text.secondary" data-testid="lesson.pending">
            Checking against the linter…
          </Typography>
        ) : !isConfirm ? (
          <Box data-testid="lesson.missing" sx={{ borderLeft: 3, borderColor: 'warning.main', pl: 1 }}>
            <Typography variant="body2" sx={{ fontWeight: 600 }}>
              Not yet:
            </Typography>
            <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
              {result.missing.map((m, i) => (
                <Typography component="li" variant="body2" key={i}>
                  {m}
                </Typography>
              ))}
            </Box>
            {step.hint && <Paragraphs of={step.hint} testId="lesson.hint" />}
          </Box>
        ) : null}
      </Box>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, mt: 1 }}>
        <Button size="small" variant="outlined" onClick={onPrev} disabled={index === 0} data-testid="lesson.prev" aria-label="Previous step">
          ← Previous
        </Button>
        {isConfirm && (
          <Button size="small" variant={confirmed ? 'outlined' : 'contained'} onClick={() => useLessons.getState().confirm(lesson.id, step.id, !confirmed)} data-testid="lesson.confirm" aria-pressed={confirmed}>
            {confirmed ? `${label} ✓ (undo)` : label}
          </Button>
        )}
        {result.status === 'met' && result.nodeId && (
          <Button size="small" onClick={() => useUi.getState().select(result.nodeId ?? null)} data-testid="lesson.show">
            Show it in the design
          </Button>
        )}
        <Button size="small" variant={result.status === 'met' && !last ? 'contained' : 'outlined'} onClick={onNext} disabled={last} data-testid="lesson.next" aria-label="Next step">
          Next →
        </Button>
      </Box>
    </Box>
  );
}

function ResetDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [fresh, setFresh] = useState(true);
  const [wipe, setWipe] = useState(false);
  const designCount = useSession((st) => st.designs.length);
  const [busy, setBusy] = useState(false);
  const notify = useUi.getState().notify;
  const reset = async (): Promise<void> => {
    if (wipe) {
      setBusy(true);
      try {
        const n = await removeAllDesigns();
        useLessons.getState().resetAll();
        notify({ severity: 'success', text: `Lesson progress reset; ${plural(n, 'saved design')} deleted; a new, empty design is open.` });
      } catch (e) {
        notify({ severity: 'error', text: `The saved designs could not be deleted (nothing was reset): ${e instanceof Error ? e.message : String(e)}` });
      } finally {
        setBusy(false);
      }
      setWipe(false);
      onClose();
      return;
    }
    useLessons.getState().resetAll();
    if (fresh) newDesign('Untitled design');
    notify({ severity: 'success', text: fresh ? 'Lesson progress reset; a new, empty design is open (the previous one stays in your saved designs).' : 'Lesson progress reset.' });
    onClose();
  };
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby="lessons-reset-title" aria-describedby="lessons-reset-text">
      <DialogTitle id="lessons-reset-title">Reset for the next class?</DialogTitle>
      <DialogContent>
        <DialogContentText id="lessons-reset-text">
          Every lesson starts again at step 1 and every “I understand” is cleared. Imported lessons stay.
        </DialogContentText>
        <FormControlLabel
          control={<Checkbox checked={fresh} onChange={(e) => setFresh(e.target.checked)} slotProps={{ input: { 'data-testid': 'lessons.reset.fresh' } as object }} />}
          label="Also start from an empty design (the current design stays in your saved designs)"
          disabled={wipe}
        />
        <FormControlLabel
          control={<Checkbox checked={wipe} onChange={(e) => setWipe(e.target.checked)} color="warning" slotProps={{ input: { 'data-testid': 'lessons.reset.wipe' } as object }} />}
          label="Also delete every saved design in this browser (the next class finds none of this one’s work)"
        />
        {wipe && (
          <Alert severity="warning" sx={{ mt: 1 }}>
            This deletes {plural(designCount, 'saved design')} and cannot be undone. Export what you want to keep first.
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} data-testid="lessons.reset.cancel">
          Cancel
        </Button>
        <Button color="warning" variant="contained" onClick={() => void reset()} disabled={busy} data-testid="lessons.reset.confirm">
          {wipe ? 'Reset and delete' : 'Reset'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
