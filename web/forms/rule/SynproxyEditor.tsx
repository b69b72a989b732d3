/**
 * The synproxy statement in its three forms — parameters in the rule, a named
 * object, or an object chosen per packet by a map — with the help a learner
 * needs next to each field (what mss, wscale, timestamp and sack-perm do, how
 * to read them off the backend with tcpdump) and the nftables version each form
 * needs, shown as an error when the target version is older.
 */
import { Box, Button, IconButton, Tooltip, Typography } from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import CloseIcon from '@mui/icons-material/Close';
import { FEATURES, supports } from '../../../src/knowledge/versions.ts';
import { SYNPROXY_HELP, SYNPROXY_MODE_FEATURE, synAckTcpdump, type SynproxyMode } from '../../../src/knowledge/synproxyHelp.ts';
import { allowedHooks } from '../../../src/knowledge/placement.ts';
import { ruleField, ruleFieldsFor } from '../../../src/knowledge/ruleFields.ts';
import { rowKey, type BuilderContext, type SynproxyRow } from './model.ts';
import { CheckInput, HelpIcon, Notes, RowLabel, SelectInput, TextInput, useNotes, type Option } from './parts.tsx';

/**
 * Short words, so the select shows its whole value in a narrow form (presenter
 * mode at 200 % zoom); the two per-packet forms are a group, and the version
 * each needs is said under the select.
 */
const MODE_OPTIONS: (Option | { group: string; options: Option[] })[] = [
  { value: 'anonymous', label: 'this rule' },
  { value: 'name', label: 'a named object' },
  {
    group: 'per packet, by a map',
    options: [
      { value: 'map', label: 'a map in the rule' },
      { value: 'namedMap', label: 'a named map' },
    ],
  },
];
const MODE_WORDS: Record<SynproxyMode, string> = { anonymous: 'Parameters in this rule', name: 'A named synproxy object', map: 'Per packet, from a map in the rule', namedMap: 'Per packet, from a named map' };

function helpBlock(lines: string[]) {
  return lines.join('\n\n');
}

const MSS_HELP = helpBlock([SYNPROXY_HELP.mss, `Needs nftables ${FEATURES.synproxyStmt.since} (statement) or ${FEATURES.synproxyObject.since} (named object).`]);
const WSCALE_HELP = helpBlock([SYNPROXY_HELP.wscale]);
const TIMESTAMP_HELP = SYNPROXY_HELP.timestamp;
const SACK_HELP = SYNPROXY_HELP.sackPerm;

/** Keys a per-packet map can select on: addresses and ports. */
function mapKeyOptions(ctx: BuilderContext, current: string): Option[] {
  const keys = ruleFieldsFor(ctx.family).filter((f) => ['ipv4_addr', 'ipv6_addr', 'inet_service', 'ifname'].includes(f.type));
  const out = keys.map((f) => ({ value: f.id, label: f.id }));
  if (current && !out.some((o) => o.value === current)) out.unshift({ value: current, label: current });
  return out;
}

function objectOptions(ctx: BuilderContext, current: string, placeholder: string): Option[] {
  const names = ctx.table.objects.filter((o) => o.type === 'synproxy').map((o) => o.name);
  // short: a select cannot wrap its value (the select's label says what is missing)
  const out: Option[] = [{ value: '', label: names.length ? placeholder : 'none in this table', disabled: true }];
  if (current && !names.includes(current)) out.push({ value: current, label: `${current} (not in this table)` });
  for (const n of names) out.push({ value: n, label: n });
  return out;
}

export interface SynproxyEditorProps {
  row: SynproxyRow;
  path: string;
  testId: string;
  ctx: BuilderContext;
  targetVersion: string;
  onChange: (row: SynproxyRow) => void;
}

export function SynproxyEditor({ row, path, testId, ctx, targetVersion, onChange }: SynproxyEditorProps) {
  const p = `${path}.synproxy`;
  const t = `${testId}.synproxy`;
  const feature = SYNPROXY_MODE_FEATURE[row.mode];
  const tooOld = !supports(targetVersion, feature);
  const hooks = allowedHooks('synproxy', ctx.family);
  const hook = ctx.chain.base?.hook;
  const misplaced = !hooks ? ctx.family !== 'ip' : hook !== undefined && !hooks.includes(hook);
  const entriesNotes = useNotes(`${p}.entries`);
  const paramNotes = useNotes(`${p}.params`);
  // the linter's findings on the statement (shown under the row): do not say the same twice
  const rowFindings = useNotes(path).findings;
  const linterSaysPlacement = rowFindings.some((d) => d.id === 'placement/synproxy');
  const linterSaysVersion = rowFindings.some((d) => d.id === 'version/feature');
  const key = ruleField(row.mapKey);
  const synproxyMaps = ctx.table.sets.filter((s) => s.kind === 'map' && s.data?.mode === 'type' && s.data.types.join(' ') === 'synproxy');

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.5, flex: 1, minWidth: 0, mt: 1 }}>
      <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 1, flexWrap: 'wrap' }}>
        <SelectInput
          label="Synproxy parameters from"
          path={`${p}.mode`}
          testId={`${t}.mode`}
          width={160}
          value={row.mode}
          onChange={(v) => onChange({ ...row, mode: v as SynproxyMode })}
          options={MODE_OPTIONS}
          help={SYNPROXY_HELP.mode}
          helpTopic="synproxy forms"
        />
      </Box>
      <Box sx={{ display: 'flex', alignItems: 'center', mt: -1 }}>
        <Typography variant="caption" color="textSecondary" data-testid={`${t}.mode.since`}>
          {MODE_WORDS[row.mode]}: needs nftables {feature.since} or later.
        </Typography>
        <HelpIcon topic="where synproxy works" text={SYNPROXY_HELP.placement} />
      </Box>
      {tooOld && !linterSaysVersion && (
        <Typography role="alert" data-testid={`${t}.version`} color="error" variant="body2">
          {feature.title} needs nftables {feature.since} or later; the target version is {targetVersion}.
        </Typography>
      )}
      {misplaced && !linterSaysPlacement && (
        <Typography role="status" data-testid={`${t}.placement`} color="warning" variant="body2">
          {hooks
            ? `synproxy works only in chains on ${hooks.join(' or ')}; this chain is on ${hook}.`
            : `synproxy cannot work in ${ctx.family} tables: it needs connection tracking (ip, ip6 or inet tables).`}
        </Typography>
      )}

      {row.mode === 'anonymous' && (
        <>
          <Box sx={{ display: 'flex', columnGap: 1, rowGap: 1.5, flexWrap: 'wrap', alignItems: 'flex-start' }}>
            <TextInput label="mss" path={`${p}.mss`} testId={`${t}.mss`} width={150} numeric placeholder="e.g. 1460" value={row.mss} onChange={(v) => onChange({ ...row, mss: v })} help={MSS_HELP} helpTopic="mss" />
            <TextInput label="wscale" path={`${p}.wscale`} testId={`${t}.wscale`} width={150} numeric placeholder="e.g. 7" value={row.wscale} onChange={(v) => onChange({ ...row, wscale: v })} help={WSCALE_HELP} helpTopic="wscale" />
            <CheckInput label="timestamp" path={`${p}.timestamp`} testId={`${t}.timestamp`} checked={row.timestamp} onChange={(v) => onChange({ ...row, timestamp: v })} help={TIMESTAMP_HELP} helpTopic="timestamp" />
            <CheckInput label="sack-perm" path={`${p}.sackPerm`} testId={`${t}.sackPerm`} checked={row.sackPerm} onChange={(v) => onChange({ ...row, sackPerm: v })} help={SACK_HELP} helpTopic="sack-perm" />
          </Box>
          <Notes notes={paramNotes} testId={`${t}.params.notes`} />
          <Typography variant="caption" color="textSecondary">
            Use the backend server&apos;s values: capture its SYN-ACK with <code>{synAckTcpdump()}</code> and read mss and wscale from the options.
          </Typography>
        </>
      )}

      {row.mode === 'name' && (
        <SelectInput
          label="Synproxy object"
          path={`${p}.name`}
          testId={`${t}.name`}
          width={260}
          value={row.name}
          onChange={(v) => onChange({ ...row, name: v })}
          options={objectOptions(ctx, row.name, 'choose an object')}
          help="The synproxy object (declared in the table with mss, wscale, timestamp and sack-perm) this rule uses. Several rules can share one object."
          helpTopic="the synproxy object"
        />
      )}

      {(row.mode === 'map' || row.mode === 'namedMap') && (
        <SelectInput
          label="Choose the object by"
          path={`${p}.mapKey`}
          testId={`${t}.mapKey`}
          width={200}
          value={row.mapKey}
          onChange={(v) => onChange({ ...row, mapKey: v })}
          options={mapKeyOptions(ctx, row.mapKey)}
          help="What in the packet selects the synproxy object, e.g. ip saddr to give each source network its own parameters."
          helpTopic="the map key"
        />
      )}

      {row.mode === 'namedMap' && (
        <SelectInput
          label="Map of synproxy objects"
          path={`${p}.mapName`}
          testId={`${t}.mapName`}
          width={260}
          value={row.mapName}
          onChange={(v) => onChange({ ...row, mapName: v })}
          options={[
            { value: '', label: synproxyMaps.length ? 'choose a map' : 'none in this table', disabled: true },
            ...(row.mapName && !synproxyMaps.some((m) => m.name === row.mapName) ? [{ value: row.mapName, label: `${row.mapName} (not a synproxy map here)` }] : []),
            ...synproxyMaps.map((m) => ({ value: m.name, label: `@${m.name}` })),
          ]}
          help={`A named map declared as type ${key?.type ?? 'ipv4_addr'} : synproxy. Declaring such maps works from nftables ${FEATURES.synproxyMaps.since}.`}
          helpTopic="the named map"
        />
      )}

      {row.mode === 'map' && (
        <Box data-testid={`${t}.entries`} sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
          {row.entries.map((e, j) => (
            <Box key={e.key} sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', flexWrap: 'wrap' }}>
              {/* the row's number first, as in the accessible names of the other controls: "Entry 1: ip saddr" (its label is its whole name) */}
              <RowLabel prefix="">
              <TextInput
                label={`Entry ${j + 1}: ${row.mapKey || 'key'}`}
                path={`${p}.entries.${j}.match`}
                testId={`${t}.entries.${j}.match`}
                width={200}
                placeholder={key ? `e.g. ${key.example}` : ''}
                value={e.match}
                onChange={(v) => onChange({ ...row, entries: row.entries.map((x, k) => (k === j ? { ...x, match: v } : x)) })}
              />
              </RowLabel>
              <RowLabel prefix={`Entry ${j + 1}`}>
              <SelectInput
                label="uses object"
                path={`${p}.entries.${j}.object`}
                testId={`${t}.entries.${j}.object`}
                width={220}
                value={e.object}
                onChange={(v) => onChange({ ...row, entries: row.entries.map((x, k) => (k === j ? { ...x, object: v } : x)) })}
                options={objectOptions(ctx, e.object, 'choose an object')}
              />
              </RowLabel>
              <Tooltip title={`Remove entry ${j + 1}`}>
                <IconButton aria-label={`Remove entry ${j + 1}`} data-testid={`${t}.entries.${j}.remove`} onClick={() => onChange({ ...row, entries: row.entries.filter((_, k) => k !== j) })}>
                  <CloseIcon fontSize="small" />
                </IconButton>
              </Tooltip>
            </Box>
          ))}
          <Box>
            <Button
              startIcon={<AddIcon />}
              data-testid={`${t}.entries.add`}
              onClick={() => onChange({ ...row, entries: [...row.entries, { key: rowKey(), match: '', object: '' }] })}
            >
              Add entry
            </Button>
          </Box>
          <Notes notes={entriesNotes} testId={`${t}.entries.notes`} />
        </Box>
      )}
    </Box>
  );
}
