/** The lessons tab (placeholder until the lessons module lands). */
import { Box } from '@mui/material';

export default function LessonsPanel() {
  return <Box sx={{ p: 2, color: 'text.secondary', fontSize: 13 }}>Lessons are on their way.</Box>;
}
