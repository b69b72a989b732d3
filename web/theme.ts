import { createTheme, type Theme } from '@mui/material/styles';

export type ThemeMode = 'light' | 'dark';

/** Dense enough for a 1280×720 projector, readable on a wide monitor. */
export function makeTheme(mode: ThemeMode): Theme {
  return createTheme({
    palette: {
      mode,
      primary: { main: mode === 'dark' ? '#7cb8ff' : '#1565c0' },
      secondary: { main: mode === 'dark' ? '#ffb86b' : '#b35c00' },
      // darker than MUI's defaults in light mode, so warning and info text passes WCAG AA on white
      ...(mode === 'light' ? { warning: { main: '#a65c00' }, info: { main: '#01579b' } } : {}),
      background: mode === 'dark' ? { default: '#14171c', paper: '#1b1f26' } : { default: '#f4f6f8', paper: '#ffffff' },
    },
    typography: { fontSize: 13, fontFamily: 'Roboto, "DejaVu Sans", Arial, sans-serif' },
    shape: { borderRadius: 6 },
    components: {
      MuiButton: { defaultProps: { size: 'small' } },
      MuiIconButton: { defaultProps: { size: 'small' } },
      MuiTextField: { defaultProps: { size: 'small', variant: 'outlined' } },
      MuiSelect: { defaultProps: { size: 'small' } },
      MuiFormControl: { defaultProps: { size: 'small' } },
      MuiTooltip: { defaultProps: { arrow: true } },
    },
  });
}
