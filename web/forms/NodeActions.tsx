import { IconButton, Tooltip } from '@mui/material';
import DeleteIcon from '@mui/icons-material/Delete';
import { removeNode } from '../../src/model/ops.ts';
import { useDesign } from '../store/design.ts';
import { useUi } from '../store/ui.ts';

/** Delete (undoable; a notice says how to bring it back). */
export function NodeActions({ id, label, selectAfter }: { id: string; label: string; selectAfter?: string | null }) {
  return (
    <Tooltip title={`Delete ${label}`}>
      <IconButton
        aria-label={`Delete ${label}`}
        data-testid="node.delete"
        onClick={() => {
          useDesign.getState().apply((rs) => removeNode(rs, id));
          useUi.getState().select(selectAfter ?? null);
          useUi.getState().notify({ severity: 'info', text: `Deleted ${label}. Undo (Ctrl+Z) brings it back.` });
        }}
      >
        <DeleteIcon fontSize="small" />
      </IconButton>
    </Tooltip>
  );
}
