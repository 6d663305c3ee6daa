// The palette (views/palette.ts) handed down the component tree.
import { createContext, useContext } from 'react';
import { colorTheme, type Theme } from './palette.js';

export { colorTheme, monoTheme, resolveTheme, severityToken, statusGlyph, statusToken, type ColorToken, type Theme } from './palette.js';

export const ThemeContext = createContext<Theme>(colorTheme);

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
