/**
 * The wizard form's state (what the inputs hold, numbers as typed) and its
 * translation into the generator's options. Kept apart from the component so
 * the mapping is easy to read and to test.
 */
import type { Ruleset } from '../../../src/model/types.ts';
import { WIZARD_DEFAULTS, type SynproxyWizardOptions, type WizardFamily, type WizardMode, type WizardPlacement, type WizardProblem } from '../../../src/wizard/index.ts';

export interface RowState {
  key: number;
  network: string;
  objectName: string;
  mss: string;
  wscale: string;
  timestamp: boolean;
  sackPerm: boolean;
}

export interface FormState {
  family: WizardFamily;
  ports: number[];
  placement: WizardPlacement;
  tableName: string;
  mss: string;
  wscale: string;
  timestamp: boolean;
  sackPerm: boolean;
  mode: WizardMode;
  objectName: string;
  /** per-source: sources outside the map use the object above */
  useDefault: boolean;
  rows: RowState[];
}

export const WIZARD_FAMILIES: readonly WizardFamily[] = ['ip', 'ip6', 'inet'];

export function isWizardFamily(f: string): f is WizardFamily {
  return (WIZARD_FAMILIES as readonly string[]).includes(f);
}

export function initialForm(): FormState {
  const d = WIZARD_DEFAULTS;
  return {
    family: d.family,
    ports: [...d.ports],
    placement: d.placement,
    tableName: d.tableName,
    mss: String(d.mss),
    wscale: String(d.wscale),
    timestamp: d.timestamp,
    sackPerm: d.sackPerm,
    mode: d.mode,
    objectName: 'web_synproxy',
    useDefault: true,
    rows: [],
  };
}

let rowKey = 0;
export function newRow(from: Pick<FormState, 'mss' | 'wscale' | 'timestamp' | 'sackPerm'>, index: number): RowState {
  rowKey += 1;
  return { key: rowKey, network: '', objectName: `synproxy_${index + 1}`, mss: from.mss, wscale: from.wscale, timestamp: from.timestamp, sackPerm: from.sackPerm };
}

/** A number field's text as a number; empty or malformed text is NaN (the generator reports it). */
export function numberOf(text: string): number {
  const t = text.trim();
  return /^-?\d+$/.test(t) ? Number(t) : Number.NaN;
}

/** A port chip's text: the port, or a message. */
export function parsePort(text: string): { port: number } | { error: string } {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return { error: `"${t.length > 20 ? `${t.slice(0, 17)}...` : t}" is not a port number` };
  const n = Number(t);
  if (n < 1 || n > 65535) return { error: `${n} is not a TCP port (1..65535)` };
  return { port: n };
}

export function toOptions(f: FormState): SynproxyWizardOptions {
  const opts: SynproxyWizardOptions = {
    family: f.family,
    ports: f.ports,
    placement: f.placement,
    tableName: f.tableName.trim(),
    mss: numberOf(f.mss),
    wscale: numberOf(f.wscale),
    timestamp: f.timestamp,
    sackPerm: f.sackPerm,
    mode: f.mode,
  };
  if (f.mode === 'named' || (f.mode === 'per-source' && f.useDefault)) opts.objectName = f.objectName;
  if (f.mode === 'per-source') {
    opts.perSource = f.rows.map((r) => ({
      network: r.network,
      objectName: r.objectName,
      mss: numberOf(r.mss),
      wscale: numberOf(r.wscale),
      timestamp: r.timestamp,
      sackPerm: r.sackPerm,
    }));
  }
  return opts;
}

/** The messages for one field, joined. */
export function messageFor(problems: WizardProblem[], field: string): string | undefined {
  const m = problems.filter((p) => p.field === field).map((p) => p.message);
  return m.length ? m.join('; ') : undefined;
}

/** Fields the form shows next to a control; problems for any other field are listed apart. */
export function shownField(field: string): boolean {
  return ['ports', 'family', 'placement', 'tableName', 'mss', 'wscale', 'mode', 'objectName', 'perSource'].includes(field) || /^perSource\.\d+\.(network|objectName|mss|wscale)$/.test(field);
}

export interface TableChoice {
  family: WizardFamily;
  name: string;
  chains: number;
}

/** The design's tables the wizard can add to. */
export function tableChoices(rs: Ruleset): TableChoice[] {
  const out: TableChoice[] = [];
  for (const t of rs.tables) if (isWizardFamily(t.family)) out.push({ family: t.family, name: t.name, chains: t.chains.length });
  return out;
}
