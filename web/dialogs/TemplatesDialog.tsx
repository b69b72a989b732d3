import { Box, Button, Card, CardActions, CardContent, Dialog, DialogActions, DialogContent, DialogTitle, Typography } from '@mui/material';
import { TEMPLATES, type Template } from '../../src/templates/catalog.ts';
import { parse } from '../../src/parse/index.ts';
import { withDefaultPreamble } from '../../src/model/types.ts';
import { useDesign } from '../store/design.ts';
import { newDesign } from '../store/session.ts';
import { useUi } from '../store/ui.ts';

function load(t: Template) {
  return withDefaultPreamble(parse(t.text).ruleset);
}

export default function TemplatesDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const replace = (t: Template): void => {
    const rs = load(t);
    useDesign.getState().replace(rs, { origin: 'load' });
    useUi.getState().select(rs.tables[0]?.id ?? null);
    useUi.getState().notify({ severity: 'success', text: `Loaded "${t.title}". Undo (Ctrl+Z) brings the previous design back.` });
    onClose();
  };
  const asNew = (t: Template): void => {
    newDesign(t.title, load(t));
    onClose();
  };
  return (
    <Dialog open={open} onClose={onClose} maxWidth="md" fullWidth aria-labelledby="templates-title">
      <DialogTitle id="templates-title">Templates</DialogTitle>
      <DialogContent>
        <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(280px, 1fr))', gap: 1.5 }}>
          {TEMPLATES.map((t) => (
            <Card key={t.id} variant="outlined" data-testid={`template.${t.id}`}>
              <CardContent sx={{ pb: 0 }}>
                <Typography variant="subtitle1" component="h3" gutterBottom>
                  {t.title}
                </Typography>
                <Typography variant="body2" color="text.secondary">
                  {t.description}
                </Typography>
              </CardContent>
              <CardActions>
                <Button variant="contained" onClick={() => asNew(t)} data-testid={`template.${t.id}.open`}>
                  Open as new design
                </Button>
                <Button onClick={() => replace(t)} data-testid={`template.${t.id}.replace`}>
                  Replace current
                </Button>
              </CardActions>
            </Card>
          ))}
        </Box>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
