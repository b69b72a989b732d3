import { createTheme, type Theme } from '@mui/material/styles';

export type ThemeMode = 'light' | 'dark';

/**
 * Dense enough for a 1280×720 projector, readable on a wide monitor. `contrast`
 * (presenter mode) makes text black or white, lines and focus rings stronger:
 * a projector washes out greys.
 */
export function makeTheme(mode: ThemeMode, contrast = false): Theme {
  const dark = mode === 'dark';
  return createTheme({
    palette: {
      mode,
      primary: { main: dark ? (contrast ? '#a8d1ff' : '#7cb8ff') : contrast ? '#0d3c8c' : '#1565c0' },
      secondary: { main: dark ? '#ffb86b' : '#b35c00' },
      // darker than MUI's defaults in light mode, so warning and info text passes WCAG AA on white
      ...(mode === 'light' ? { warning: { main: '#a65c00' }, info: { main: '#01579b' } } : {}),
      background: dark ? (contrast ? { default: '#000000', paper: '#0b0d10' } : { default: '#14171c', paper: '#1b1f26' }) : contrast ? { default: '#ffffff', paper: '#ffffff' } : { default: '#f4f6f8', paper: '#ffffff' },
      ...(contrast
        ? {
            text: dark ? { primary: '#ffffff', secondary: '#e6e6e6', disabled: '#a0a0a0' } : { primary: '#000000', secondary: '#1f1f1f', disabled: '#5c5c5c' },
            divider: dark ? 'rgba(255,255,255,0.6)' : 'rgba(0,0,0,0.6)',
          }
        : {}),
    },
    typography: { fontSize: 13, fontFamily: 'Roboto, "DejaVu Sans", Arial, sans-serif' },
    shape: { borderRadius: 6 },
    components: {
      MuiButton: { defaultProps: { size: 'small' } },
      MuiIconButton: { defaultProps: { size: 'small' } },
      MuiTextField: { defaultProps: { size: 'small', variant: 'outlined' } },
      MuiSelect: { defaultProps: { size: 'small' } },
      MuiFormControl: { defaultProps: { size: 'small' } },
      // beside what they explain, never over the field below (a row just added is where the pointer is),
      // not for a pointer passing by, and gone when the pointer leaves the icon
      MuiTooltip: { defaultProps: { arrow: true, placement: 'right', enterDelay: 400, enterNextDelay: 200, disableInteractive: true } },
      ...(contrast
        ? {
            MuiCssBaseline: { styleOverrides: { '*:focus-visible': { outline: `3px solid ${dark ? '#ffd54f' : '#000'} !important`, outlineOffset: '2px' } } },
            MuiOutlinedInput: { styleOverrides: { notchedOutline: { borderColor: dark ? 'rgba(255,255,255,0.75)' : 'rgba(0,0,0,0.75)', borderWidth: 2 } } },
          }
        : {}),
    },
  });
}
