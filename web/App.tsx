import { CssBaseline, ThemeProvider } from '@mui/material';
import { useMemo } from 'react';
import { makeTheme } from './theme.ts';

export function App() {
  const theme = useMemo(() => makeTheme('light'), []);
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <main>nft-designer</main>
    </ThemeProvider>
  );
}
