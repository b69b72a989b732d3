/**
 * The synproxy wizard dialog: ports, family, placement, table, the backend's
 * TCP options and how the synproxy parameters are written (in the rule, a named
 * object, or objects chosen by source network) → a live preview of the chains it
 * adds; Apply hands the new design to the app (one undo step) and then shows the
 * host settings nft cannot make, as copyable commands.
 *
 * Lazy-loadable: `const SynproxyWizard = React.lazy(() => import('./dialogs/synproxy/SynproxyWizard.tsx'))`.
 * The app should keep `open` true after `onApply` until `onClose`, so the person
 * sees the host prerequisites (the second step).
 */
import { useId, useMemo, useState, type InputHTMLAttributes, type ReactNode } from 'react';
import Accordion from '@mui/material/Accordion';
import AccordionDetails from '@mui/material/AccordionDetails';
import AccordionSummary from '@mui/material/AccordionSummary';
import Alert from '@mui/material/Alert';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import FormLabel from '@mui/material/FormLabel';
import IconButton from '@mui/material/IconButton';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Step from '@mui/material/Step';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import DeleteIcon from '@mui/icons-material/DeleteOutlined';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import type { Ruleset } from '../../../src/model/types.ts';
import { buildSynproxySetup, previewText, type SynproxyWizardResult, type WizardMode, type WizardPlacement } from '../../../src/wizard/index.ts';
import { CopyBlock } from './CopyBlock.tsx';
import { HELP, tcpdumpHelp } from './help.ts';
import { initialForm, isWizardFamily, messageFor, newRow, parsePort, shownField, tableChoices, toOptions, type FormState, type RowState, type TableChoice } from './formState.ts';

export interface SynproxyWizardProps {
  open: boolean;
  onClose: () => void;
  ruleset: Ruleset;
  targetVersion: string;
  /** the app replaces the design (one undo step) and selects selectId */
  onApply: (next: Ruleset, selectId?: string) => void;
}

const COMMON_PORTS = ['22', '80', '443', '8080', '8443'];
const MONO = '"DejaVu Sans Mono", Consolas, monospace';

export default function SynproxyWizard(props: SynproxyWizardProps) {
  const titleId = useId();
  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      maxWidth="lg"
      fullWidth
      aria-labelledby={titleId}
      slotProps={{ paper: { sx: { height: 'calc(100% - 32px)', maxHeight: 900, m: 2, width: 'calc(100% - 32px)' } } }}
    >
      <WizardBody {...props} titleId={titleId} />
    </Dialog>
  );
}

function WizardBody({ onClose, ruleset, targetVersion, onApply, titleId }: SynproxyWizardProps & { titleId: string }) {
  const [form, setForm] = useState<FormState>(initialForm);
  const [applied, setApplied] = useState<SynproxyWizardResult | undefined>(undefined);
  const set = (patch: Partial<FormState>) => setForm((f) => ({ ...f, ...patch }));

  const options = useMemo(() => toOptions(form), [form]);
  const result = useMemo(() => buildSynproxySetup(ruleset, options, targetVersion), [ruleset, options, targetVersion]);
  const preview = useMemo(() => {
    try {
      return previewText(result);
    } catch (e) {
      return `cannot show the rules: ${e instanceof Error ? e.message : String(e)}`;
    }
  }, [result]);
  const problems = result.problems;
  const msg = (field: string) => messageFor(problems, field);

  const apply = () => {
    if (problems.length) return;
    onApply(result.ruleset, result.addedIds[0]);
    setApplied(result);
  };

  return (
    <>
      <DialogTitle id={titleId} sx={{ pb: 1 }}>
        Synproxy wizard
        <Typography variant="body2" component="span" sx={{ display: 'block', color: 'text.secondary' }}>
          Protect TCP ports from SYN floods: synproxy answers the handshake with SYN cookies, so a flood cannot fill the conntrack table.
        </Typography>
      </DialogTitle>
      <Box sx={{ px: 3, pb: 1 }}>
        <Stepper activeStep={applied ? 1 : 0} aria-label="Wizard steps">
          <Step>
            <StepLabel>Design the synproxy rules</StepLabel>
          </Step>
          <Step>
            <StepLabel>Host prerequisites</StepLabel>
          </Step>
        </Stepper>
      </Box>
      {applied ? (
        <DonePanel result={applied} ports={form.ports} onClose={onClose} />
      ) : (
        <>
          <DialogContent dividers sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: 'minmax(0, 1fr) minmax(0, 1fr)' }, gap: 3, py: 2, overflowY: { xs: 'auto', md: 'hidden' } }}>
            <Box sx={{ overflowY: { md: 'auto' }, pr: 1, display: 'flex', flexDirection: 'column', gap: 2 }}>
              <Section title="What to protect">
                <PortsField ports={form.ports} onChange={(ports) => set({ ports })} error={msg('ports')} />
                <PlacementField value={form.placement} onChange={(placement) => set({ placement })} error={msg('placement')} />
                <Box sx={{ display: 'flex', gap: 2, alignItems: 'flex-start', flexWrap: 'wrap' }}>
                  <FamilyField value={form.family} onChange={(family) => set({ family })} error={msg('family')} />
                  <TableField
                    form={form}
                    choices={tableChoices(ruleset)}
                    onName={(tableName) => set({ tableName })}
                    onPick={(c) => set({ tableName: c.name, family: c.family })}
                    error={msg('tableName')}
                    exists={!result.tableIsNew}
                  />
                </Box>
              </Section>
              <Section title="The backend server's TCP options">
                <ParamsFields
                  values={form}
                  onChange={(p) => set(p)}
                  errors={{ mss: msg('mss'), wscale: msg('wscale') }}
                  testIds
                  idPrefix="top"
                />
                <Accordion disableGutters variant="outlined">
                  <AccordionSummary expandIcon={<ExpandMoreIcon />}>
                    <Typography variant="body2">How to read mss and wscale from the backend with tcpdump</Typography>
                  </AccordionSummary>
                  <AccordionDetails>
                    <TcpdumpHelp port={form.ports[0]} />
                  </AccordionDetails>
                </Accordion>
              </Section>
              <Section title="Anonymous or named synproxy objects">
                <ModeField value={form.mode} onChange={(mode) => setForm((f) => ({ ...f, mode, rows: mode === 'per-source' && !f.rows.length ? [newRow(f, 0)] : f.rows }))} error={msg('mode')} />
                {form.mode !== 'anonymous' && (
                  <ObjectNameField form={form} onChange={set} error={msg('objectName')} />
                )}
                {form.mode === 'per-source' && (
                  <PerSourceRows
                    rows={form.rows}
                    onChange={(rows) => set({ rows })}
                    onAdd={() => setForm((f) => ({ ...f, rows: [...f.rows, newRow(f, f.rows.length)] }))}
                    problems={(field) => msg(field)}
                    error={msg('perSource')}
                    family={form.family}
                  />
                )}
              </Section>
            </Box>
            <Box sx={{ overflowY: { md: 'auto' }, display: 'flex', flexDirection: 'column', gap: 2, minWidth: 0 }}>
              <Box>
                <Typography variant="subtitle2" component="h3" id="wizard-preview-title" sx={{ mb: 0.5 }}>
                  {result.tableIsNew ? `New table ${form.family} ${options.tableName || '…'}` : `Added to table ${form.family} ${options.tableName}`}
                </Typography>
                {problems.length ? (
                  <Alert severity="error" data-testid="wizard.problems">
                    {problems.length === 1 ? 'One thing to fix' : `${problems.length} things to fix`} before the rules can be shown:
                    <Box component="ul" sx={{ m: 0, pl: 2 }}>
                      {problems.map((p) => (
                        <li key={`${p.field}:${p.message}`}>
                          {shownField(p.field) ? <strong>{fieldLabel(p.field)}: </strong> : null}
                          {p.message}
                        </li>
                      ))}
                    </Box>
                  </Alert>
                ) : (
                  <Box
                    component="pre"
                    tabIndex={0}
                    aria-labelledby="wizard-preview-title"
                    data-testid="wizard.preview"
                    sx={{ m: 0, p: 1, fontFamily: MONO, fontSize: 12, lineHeight: 1.45, overflow: 'auto', bgcolor: 'action.hover', border: 1, borderColor: 'divider', borderRadius: 1, tabSize: 4, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
                  >
                    {preview}
                  </Box>
                )}
              </Box>
              <Accordion disableGutters variant="outlined" defaultExpanded>
                <AccordionSummary expandIcon={<ExpandMoreIcon />}>
                  <Typography variant="body2">Why these rules</Typography>
                </AccordionSummary>
                <AccordionDetails>
                  <Box component="ul" data-testid="wizard.notes" sx={{ m: 0, pl: 2, '& li': { mb: 0.75 } }}>
                    {result.notes.map((n) => (
                      <Typography component="li" variant="body2" key={n}>
                        {n}
                      </Typography>
                    ))}
                  </Box>
                </AccordionDetails>
              </Accordion>
              <Typography variant="body2" sx={{ color: 'text.secondary' }}>
                After applying, the next step shows the host settings nft cannot make (sysctls, conntrack sizing) as commands to copy.
              </Typography>
            </Box>
          </DialogContent>
          <DialogActions sx={{ px: 3 }}>
            <Typography variant="body2" sx={{ mr: 'auto', color: 'text.secondary' }}>
              Target: nftables {targetVersion}
            </Typography>
            <Button onClick={onClose}>Cancel</Button>
            <Button variant="contained" onClick={apply} disabled={problems.length > 0} data-testid="wizard.apply">
              Apply
            </Button>
          </DialogActions>
        </>
      )}
    </>
  );
}

// ------------------------------------------------------------------ pieces

const FIELD_LABELS: Record<string, string> = {
  ports: 'Ports',
  family: 'Family',
  placement: 'Placement',
  tableName: 'Table',
  mss: 'mss',
  wscale: 'wscale',
  mode: 'Objects',
  objectName: 'Object name',
  perSource: 'Source networks',
  network: 'network',
};

/** `perSource.1.mss` → `Row 2 mss`. */
function fieldLabel(field: string): string {
  const m = /^perSource\.(\d+)\.(\w+)$/.exec(field);
  if (m) return `Row ${Number(m[1]) + 1} ${FIELD_LABELS[m[2]] ?? m[2]}`;
  return FIELD_LABELS[field] ?? field;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <Box component="section" aria-labelledby={id} sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
      <Typography variant="subtitle2" component="h3" id={id} sx={{ color: 'primary.main' }}>
        {title}
      </Typography>
      {children}
    </Box>
  );
}

function PortsField({ ports, onChange, error }: { ports: number[]; onChange: (p: number[]) => void; error?: string }) {
  const [input, setInput] = useState('');
  const [entryError, setEntryError] = useState<string | undefined>(undefined);
  const add = (texts: string[]): boolean => {
    const next = [...ports];
    for (const t of texts) {
      if (!t.trim()) continue;
      const p = parsePort(t);
      if ('error' in p) {
        setEntryError(p.error);
        return false;
      }
      if (!next.includes(p.port)) next.push(p.port);
    }
    setEntryError(undefined);
    onChange(next);
    return true;
  };
  const message = entryError ?? error;
  return (
    <Autocomplete<string, true, false, true>
      multiple
      freeSolo
      options={COMMON_PORTS}
      filterSelectedOptions
      value={ports.map(String)}
      inputValue={input}
      onInputChange={(_e, v, reason) => {
        if (reason === 'reset') {
          setInput('');
          return;
        }
        setEntryError(undefined);
        if (/[,\s]/.test(v)) {
          const parts = v.split(/[,\s]+/);
          const last = parts.pop() ?? '';
          if (add(parts)) setInput(last);
          else setInput(v);
          return;
        }
        setInput(v);
      }}
      onChange={(_e, values) => {
        const nums: number[] = [];
        for (const v of values) {
          const p = parsePort(v);
          if ('error' in p) {
            setEntryError(p.error);
            setInput(v);
            return;
          }
          if (!nums.includes(p.port)) nums.push(p.port);
        }
        setEntryError(undefined);
        setInput('');
        onChange(nums);
      }}
      onBlur={() => {
        if (input.trim() && add([input])) setInput('');
      }}
      renderValue={(values, getItemProps) =>
        values.map((v, index) => {
          const { key, ...itemProps } = getItemProps({ index });
          return <Chip key={key} label={v} size="small" {...itemProps} />;
        })
      }
      renderInput={(params) => (
        <TextField
          {...params}
          label="Protected TCP ports"
          required
          error={!!message}
          helperText={message ?? HELP.ports}
          slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-testid': 'wizard.ports', inputMode: 'numeric' } }}
        />
      )}
    />
  );
}

function PlacementField({ value, onChange, error }: { value: WizardPlacement; onChange: (v: WizardPlacement) => void; error?: string }) {
  const id = useId();
  return (
    <FormControl error={!!error}>
      <FormLabel id={id}>Placement</FormLabel>
      <RadioGroup row aria-labelledby={id} value={value} onChange={(e) => onChange(e.target.value as WizardPlacement)} data-testid="wizard.placement">
        <FormControlLabel value="input" control={<Radio />} label="Input: a service on this host" />
        <FormControlLabel value="forward" control={<Radio />} label="Forward: protect a backend behind it" />
      </RadioGroup>
      <FormHelperText>{error ?? HELP.placement[value]}</FormHelperText>
    </FormControl>
  );
}

function FamilyField({ value, onChange, error }: { value: string; onChange: (v: FormState['family']) => void; error?: string }) {
  const id = useId();
  return (
    <FormControl error={!!error} sx={{ minWidth: 180 }}>
      <FormLabel id={id} sx={{ mb: 0.5 }}>
        Family
      </FormLabel>
      <ToggleButtonGroup
        exclusive
        size="small"
        color="primary"
        value={value}
        aria-labelledby={id}
        onChange={(_e, v: string | null) => {
          if (v && isWizardFamily(v)) onChange(v);
        }}
        data-testid="wizard.family"
      >
        {['ip', 'ip6', 'inet'].map((f) => (
          <ToggleButton key={f} value={f} sx={{ textTransform: 'none', px: 1.75, fontFamily: MONO }}>
            {f}
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
      <FormHelperText sx={{ mx: 0, maxWidth: 200 }}>{error ?? HELP.family}</FormHelperText>
    </FormControl>
  );
}

function TableField({
  form,
  choices,
  onName,
  onPick,
  error,
  exists,
}: {
  form: FormState;
  choices: TableChoice[];
  onName: (name: string) => void;
  onPick: (c: TableChoice) => void;
  error?: string;
  exists: boolean;
}) {
  const helper = error ?? (form.tableName.trim() ? (exists ? `Adds new chains to the existing table ${form.family} ${form.tableName.trim()}.` : `Creates the table ${form.family} ${form.tableName.trim()}. ${choices.length ? 'Or pick an existing table.' : ''}`) : HELP.table);
  return (
    <Autocomplete<TableChoice, false, false, true>
      freeSolo
      forcePopupIcon={choices.length > 0}
      filterOptions={(all) => all}
      sx={{ flex: 1, minWidth: 240 }}
      options={choices}
      inputValue={form.tableName}
      onInputChange={(_e, v, reason) => {
        if (reason === 'input' || reason === 'clear') onName(v);
      }}
      onChange={(_e, v) => {
        if (v && typeof v !== 'string') onPick(v);
        else if (typeof v === 'string') onName(v);
      }}
      getOptionLabel={(o) => (typeof o === 'string' ? o : o.name)}
      isOptionEqualToValue={(a, b) => typeof b !== 'string' && a.family === b.family && a.name === b.name}
      renderOption={(props, o) => {
        const { key, ...rest } = props as typeof props & { key: string };
        return (
          <li key={`${o.family} ${o.name}`} {...rest} data-key={key}>
            <Box>
              <Typography variant="body2" sx={{ fontFamily: MONO }}>
                {o.family} {o.name}
              </Typography>
              <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                existing table, {o.chains} chain{o.chains === 1 ? '' : 's'}
              </Typography>
            </Box>
          </li>
        );
      }}
      renderInput={(params) => (
        <TextField
          {...params}
          label="Table"
          required
          error={!!error}
          helperText={helper}
          slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-testid': 'wizard.table', spellCheck: false } }}
        />
      )}
    />
  );
}

/** data-testid and aria-label for a checkbox's input (the slot type has no data-* keys). */
function inputAttrs(testId: string, label: string): InputHTMLAttributes<HTMLInputElement> {
  return { 'data-testid': testId, 'aria-label': label } as InputHTMLAttributes<HTMLInputElement>;
}

interface ParamsValues {
  mss: string;
  wscale: string;
  timestamp: boolean;
  sackPerm: boolean;
}

function ParamsFields({
  values,
  onChange,
  errors,
  testIds,
  idPrefix,
  rowLabel,
  dense,
}: {
  values: ParamsValues;
  onChange: (p: Partial<ParamsValues>) => void;
  errors: { mss?: string; wscale?: string };
  testIds?: boolean;
  idPrefix: string;
  rowLabel?: string;
  dense?: boolean;
}) {
  const suffix = rowLabel ? ` (${rowLabel})` : '';
  const tid = (name: string) => (testIds ? `wizard.${name}` : `wizard.${idPrefix}.${name}`);
  return (
    <Box sx={{ display: 'flex', gap: dense ? 1 : 2, flexWrap: 'wrap', alignItems: 'flex-start' }}>
      <TextField
        label="mss"
        type="number"
        required
        value={values.mss}
        onChange={(e) => onChange({ mss: e.target.value })}
        error={!!errors.mss}
        helperText={dense ? errors.mss : (errors.mss ?? HELP.mss)}
        sx={{ width: dense ? 110 : 230 }}
        slotProps={{ htmlInput: { min: 1, max: 65535, step: 1, 'data-testid': tid('mss'), 'aria-label': `mss${suffix}` } }}
      />
      <TextField
        label="wscale"
        type="number"
        required
        value={values.wscale}
        onChange={(e) => onChange({ wscale: e.target.value })}
        error={!!errors.wscale}
        helperText={dense ? errors.wscale : (errors.wscale ?? HELP.wscale)}
        sx={{ width: dense ? 90 : 230 }}
        slotProps={{ htmlInput: { min: 0, max: 14, step: 1, 'data-testid': tid('wscale'), 'aria-label': `wscale${suffix}` } }}
      />
      <Box sx={{ display: 'flex', flexDirection: dense ? 'row' : 'column' }}>
        <FormControlLabel
          control={<Checkbox checked={values.timestamp} onChange={(e) => onChange({ timestamp: e.target.checked })} slotProps={{ input: inputAttrs(tid('timestamp'), `timestamp${suffix}`) }} />}
          label="timestamp"
        />
        <FormControlLabel
          control={<Checkbox checked={values.sackPerm} onChange={(e) => onChange({ sackPerm: e.target.checked })} slotProps={{ input: inputAttrs(tid('sackPerm'), `sack-perm${suffix}`) }} />}
          label="sack-perm"
        />
      </Box>
      {!dense && (
        <Typography variant="caption" sx={{ color: values.timestamp ? 'text.secondary' : 'warning.main', flexBasis: '100%', mt: -1 }}>
          {values.timestamp ? `timestamp: ${HELP.timestamp} sack-perm: ${HELP.sackPerm}` : `Without timestamp, clients get no window scaling${values.sackPerm ? ' and no SACK' : ''}: ${HELP.timestamp}`}
        </Typography>
      )}
    </Box>
  );
}

function ModeField({ value, onChange, error }: { value: WizardMode; onChange: (m: WizardMode) => void; error?: string }) {
  const id = useId();
  return (
    <FormControl error={!!error}>
      <FormLabel id={id}>Where mss, wscale and the flags are written</FormLabel>
      <RadioGroup aria-labelledby={id} value={value} onChange={(e) => onChange(e.target.value as WizardMode)} data-testid="wizard.mode">
        <FormControlLabel value="anonymous" control={<Radio />} label="In the rule (anonymous)" />
        <FormControlLabel value="named" control={<Radio />} label="A named synproxy object" />
        <FormControlLabel value="per-source" control={<Radio />} label="Named objects chosen by source network (a map)" />
      </RadioGroup>
      <FormHelperText>{error ?? HELP.mode[value]}</FormHelperText>
    </FormControl>
  );
}

function ObjectNameField({ form, onChange, error }: { form: FormState; onChange: (p: Partial<FormState>) => void; error?: string }) {
  const perSource = form.mode === 'per-source';
  const disabled = perSource && !form.useDefault;
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 0.5 }}>
      {perSource && (
        <FormControlLabel
          control={<Checkbox checked={form.useDefault} onChange={(e) => onChange({ useDefault: e.target.checked })} />}
          label="Sources that no row matches use a default object (with the options above)"
        />
      )}
      <TextField
        label={perSource ? 'Default object name' : 'Object name'}
        value={form.objectName}
        disabled={disabled}
        required={!disabled}
        onChange={(e) => onChange({ objectName: e.target.value })}
        error={!!error && !disabled}
        helperText={(!disabled && error) || (perSource ? HELP.defaultObject : `${HELP.objectName} Declared as synproxy ${form.objectName || 'NAME'} { mss ${form.mss} wscale ${form.wscale} … } with the options above.`)}
        sx={{ maxWidth: 420 }}
        slotProps={{ htmlInput: { 'data-testid': 'wizard.objectName', spellCheck: false } }}
      />
    </Box>
  );
}

function PerSourceRows({
  rows,
  onChange,
  onAdd,
  problems,
  error,
  family,
}: {
  rows: RowState[];
  onChange: (rows: RowState[]) => void;
  onAdd: () => void;
  problems: (field: string) => string | undefined;
  error?: string;
  family: string;
}) {
  const update = (i: number, patch: Partial<RowState>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const example = family === 'ip6' ? '2001:db8:1::/48' : '192.168.1.0/24';
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }} data-testid="wizard.perSource">
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        Source networks, each with its own synproxy object (mss / wscale of the backend those clients reach). {family === 'inet' ? 'IPv4 and IPv6 networks may be mixed.' : ''}
      </Typography>
      {rows.map((r, i) => {
        const label = `row ${i + 1}`;
        const netErr = problems(`perSource.${i}.network`);
        const nameErr = problems(`perSource.${i}.objectName`);
        return (
          <Box key={r.key} sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', flexWrap: 'wrap', borderLeft: 3, borderColor: 'divider', pl: 1 }}>
            <TextField
              label="Source network"
              value={r.network}
              placeholder={example}
              onChange={(e) => update(i, { network: e.target.value })}
              error={!!netErr}
              helperText={netErr}
              sx={{ width: 190 }}
              slotProps={{ htmlInput: { 'data-testid': `wizard.perSource.${i}.network`, 'aria-label': `Source network (${label})`, spellCheck: false } }}
            />
            <TextField
              label="Object"
              value={r.objectName}
              onChange={(e) => update(i, { objectName: e.target.value })}
              error={!!nameErr}
              helperText={nameErr}
              sx={{ width: 150 }}
              slotProps={{ htmlInput: { 'data-testid': `wizard.perSource.${i}.objectName`, 'aria-label': `Object name (${label})`, spellCheck: false } }}
            />
            <ParamsFields
              values={r}
              onChange={(p) => update(i, p)}
              errors={{ mss: problems(`perSource.${i}.mss`), wscale: problems(`perSource.${i}.wscale`) }}
              idPrefix={`perSource.${i}`}
              rowLabel={label}
              dense
            />
            <IconButton aria-label={`Remove ${label}`} onClick={() => onChange(rows.filter((_, j) => j !== i))} sx={{ mt: 0.5 }}>
              <DeleteIcon fontSize="small" />
            </IconButton>
          </Box>
        );
      })}
      {error && (
        <Typography variant="caption" color="error">
          {error}
        </Typography>
      )}
      <Box>
        <Button startIcon={<AddIcon />} onClick={onAdd} data-testid="wizard.perSource.add">
          Add source network
        </Button>
      </Box>
    </Box>
  );
}

function TcpdumpHelp({ port }: { port?: number }) {
  const h = tcpdumpHelp(port);
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
      <Typography variant="body2">{h.intro}</Typography>
      <CopyBlock text={h.command} label="tcpdump command" maxHeight={80} wrap />
      <Typography variant="body2">{h.reading}</Typography>
    </Box>
  );
}

function DonePanel({ result, ports, onClose }: { result: SynproxyWizardResult; ports: number[]; onClose: () => void }) {
  const table = result.ruleset.tables.find((t) => t.id === result.tableId);
  const added = new Set(result.addedIds);
  const chains = table?.chains.filter((c) => added.has(c.id)).map((c) => c.name) ?? [];
  return (
    <>
      <DialogContent dividers sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
        <Alert severity="success" data-testid="wizard.done">
          {result.tableIsNew ? 'Created' : 'Added to'} table {table?.family} {table?.name}: chains {chains.join(' and ')} protecting port{ports.length > 1 ? 's' : ''} {ports.join(', ')}. Undo brings the design back as it was.
        </Alert>
        <Box>
          <Typography variant="subtitle2" component="h3" id="wizard-host-title" sx={{ mb: 0.5 }}>
            Host prerequisites: run these as root on the host that loads the ruleset
          </Typography>
          <Typography variant="body2" sx={{ mb: 1, color: 'text.secondary' }}>
            nft cannot change sysctls, so synproxy only works once these are set: nf_conntrack_tcp_loose=0 makes the handshake&apos;s final ACK invalid so it reaches synproxy; SYN cookies and TCP timestamps carry the handshake. nf_conntrack_max and the hash size can only be set in the host&apos;s initial network namespace, not inside a container.
          </Typography>
          <CopyBlock text={result.hostCommands} label="Host prerequisite commands" testId="wizard.hostCommands" copyTestId="wizard.copyHostCommands" maxHeight={360} />
        </Box>
      </DialogContent>
      <DialogActions sx={{ px: 3 }}>
        <Button variant="contained" onClick={onClose} autoFocus>
          Close
        </Button>
      </DialogActions>
    </>
  );
}
