import SynproxyWizard from './synproxy/SynproxyWizard.tsx';
import { useTargetVersion } from '../store/target.ts';
import { useDesign } from '../store/design.ts';
import { useUi } from '../store/ui.ts';

/** The synproxy wizard, wired to the design: applying it is one undo step. */
export default function WizardHost({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ruleset = useDesign((s) => s.ruleset);
  const targetVersion = useTargetVersion();
  return (
    <SynproxyWizard
      open={open}
      onClose={onClose}
      ruleset={ruleset}
      targetVersion={targetVersion}
      onApply={(next, selectId) => {
        useDesign.getState().replace(next, { origin: 'form' });
        if (selectId) useUi.getState().select(selectId);
        // the wizard says so itself (its done step): a notice outside the dialog was
        // drawn over it, hidden from screen readers while the dialog is open
      }}
    />
  );
}
