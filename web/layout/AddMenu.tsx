import { Menu, MenuItem } from '@mui/material';
import type { Table } from '../../src/model/types.ts';
import { addMember, type MemberKind } from '../actions/add.ts';

const ADD_CHOICES: { kind: MemberKind; label: string }[] = [
  { kind: 'base-chain', label: 'Base chain (on a hook)' },
  { kind: 'regular-chain', label: 'Regular chain (for jump/goto)' },
  { kind: 'set', label: 'Set' },
  { kind: 'map', label: 'Map' },
  { kind: 'synproxy', label: 'Synproxy object' },
  { kind: 'counter', label: 'Counter object' },
  { kind: 'quota', label: 'Quota object' },
  { kind: 'limit', label: 'Limit object' },
  { kind: 'ct helper', label: 'ct helper object' },
  { kind: 'ct timeout', label: 'ct timeout object' },
  { kind: 'flowtable', label: 'Flowtable' },
];

export default function AddMenu({ table, anchor, onClose }: { table: Table; anchor: HTMLElement; onClose: () => void }) {
  return (
    <Menu anchorEl={anchor} open onClose={onClose}>
      {ADD_CHOICES.map((c) => (
        <MenuItem
          key={c.kind}
          data-testid={`nav.add.${table.name}.${c.kind.replace(' ', '-')}`}
          onClick={() => {
            onClose();
            addMember(table.id, c.kind);
          }}
        >
          {c.label}
        </MenuItem>
      ))}
    </Menu>
  );
}
