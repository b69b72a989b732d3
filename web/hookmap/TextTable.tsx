/**
 * The text alternative: per lane, every hook's stages and chains in the order
 * packets meet them. Rendered always (visually hidden unless asked for), so a
 * screen reader gets the whole picture as a table.
 */
import { Box } from '@mui/material';
import type { ChainFindings } from './describe.ts';
import { markerWords, plural, positionText, stageValueText } from './describe.ts';
import type { HookMapModel } from './model.ts';

// Strings, not numbers: MUI's sx reads width 1 as 100%.
const VISUALLY_HIDDEN = {
  position: 'absolute',
  width: '1px',
  height: '1px',
  padding: 0,
  margin: '-1px',
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
  border: 0,
} as const;

export function TextTable({ model, findings, visible }: { model: HookMapModel; findings: ReadonlyMap<string, ChainFindings>; visible: boolean }) {
  return (
    <Box data-testid="hookmap.table" sx={visible ? { mt: 2, fontSize: 13 } : VISUALLY_HIDDEN}>
      {model.lanes.map((lane) => (
        <Box
          component="table"
          key={lane.id}
          sx={{ borderCollapse: 'collapse', mb: 2, '& th, & td': { border: 1, borderColor: 'divider', px: 1, py: 0.25, textAlign: 'left', verticalAlign: 'top' } }}
        >
          <caption style={{ textAlign: 'left', fontWeight: 600, captionSide: 'top' }}>
            {lane.title} ({lane.families.join(', ')}): in packet order, lower priority first within each hook
          </caption>
          <thead>
            <tr>
              <th scope="col">Hook</th>
              <th scope="col">Step</th>
              <th scope="col">Kind</th>
              <th scope="col">Name</th>
              <th scope="col">Priority</th>
              <th scope="col">Conntrack</th>
              <th scope="col">Notes</th>
            </tr>
          </thead>
          <tbody>
            {lane.columns.map((col) => {
              const rows = [
                ...col.groups.flatMap((g) => g.entries.map((e) => ({ e, tie: g.chainTie }))),
                ...col.unknown.map((c) => ({ e: { kind: 'chain' as const, chain: c }, tie: false })),
              ];
              if (!rows.length)
                return (
                  <tr key={col.hook}>
                    <th scope="row">{col.hook}</th>
                    <td colSpan={6}>nothing on this hook</td>
                  </tr>
                );
              return rows.map(({ e, tie }, i) => (
                <tr key={`${col.hook}.${i}`}>
                  <th scope="row">{col.hook}</th>
                  <td>{i + 1}</td>
                  {e.kind === 'stage' ? (
                    <>
                      <td>kernel stage</td>
                      <td>{e.stage.name}</td>
                      <td>{stageValueText(e.stage.value)}</td>
                      <td>{e.stage.kind === 'conntrack' ? 'conntrack itself' : ''}</td>
                      <td>{e.stage.what}</td>
                    </>
                  ) : (
                    <>
                      <td>chain</td>
                      <td>
                        {e.chain.name} (table {e.chain.family} {e.chain.tableName})
                      </td>
                      <td>{e.chain.priorityLabel}</td>
                      <td>{positionText(e.chain)}</td>
                      <td>{chainNotes(e.chain, findings.get(e.chain.id), tie)}</td>
                    </>
                  )}
                </tr>
              ));
            })}
          </tbody>
        </Box>
      ))}
    </Box>
  );
}

function chainNotes(c: Parameters<typeof markerWords>[0], f: ChainFindings | undefined, tie: boolean): string {
  const notes = [`${c.type}, policy ${c.policy}, ${plural(c.ruleCount, 'rule')}`];
  if (c.devices.length) notes.push(`devices ${c.devices.join(', ')}`);
  const markers = markerWords(c);
  if (markers) notes.push(markers);
  if (tie) notes.push('same priority as another chain: order not defined');
  if (c.reaches.length) notes.push(`jumps to ${c.reaches.map((r) => r.name).join(', ')}`);
  if (f?.errors.length) notes.push(plural(f.errors.length, 'error'));
  if (f?.warnings.length) notes.push(plural(f.warnings.length, 'warning'));
  return notes.join('; ');
}
