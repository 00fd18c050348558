// Semantic colour names → terminal colours. Screens and the Markdown renderer name a tone
// ("new", "again", "muted" …); only this file knows which colour that is.
// NO_COLOR (https://no-color.org: set and not empty) turns every colour off; text attributes such
// as bold, italic, underline and dim stay, so emphasis and the selection remain visible.
import { createContext, useContext } from 'react';
import type { Style, Tone } from '../core/text/styled.js';

export type { Tone };

/** Colours for a dark or light terminal; ANSI names so the user's palette is respected. */
export const TONE_COLORS: Record<Tone, string | undefined> = {
  accent: 'cyan',
  muted: 'gray',
  new: 'blueBright',
  learning: 'red',
  review: 'green',
  again: 'red',
  hard: 'yellow',
  good: 'green',
  easy: 'blueBright',
  error: 'redBright',
  code: 'yellow',
  link: 'cyan',
  heading: 'cyan',
  math: undefined,
  cloze: 'cyan',
};

export interface Theme {
  noColor: boolean;
  /** The colour of a tone, or undefined (no colour). */
  color(tone: Tone | undefined): string | undefined;
}

export function noColorRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NO_COLOR !== undefined && env.NO_COLOR !== '';
}

export function createTheme(opts: { noColor?: boolean } = {}): Theme {
  const noColor = opts.noColor ?? noColorRequested();
  return {
    noColor,
    color: (tone) => (noColor || !tone ? undefined : TONE_COLORS[tone]),
  };
}

export const ThemeContext = createContext<Theme>(createTheme());

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

/** Props of an Ink <Text> for a style. Muted text is grey, or dim when colours are off. */
export interface InkTextStyle {
  color?: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strikethrough?: boolean;
  dimColor?: boolean;
  inverse?: boolean;
}

export function textStyle(theme: Theme, style: Style | undefined): InkTextStyle {
  if (!style) return {};
  const out: InkTextStyle = {};
  const color = theme.color(style.tone);
  if (color) out.color = color;
  if (style.tone === 'muted' && theme.noColor) out.dimColor = true;
  if (style.bold || (theme.noColor && style.tone === 'cloze')) out.bold = true;
  if (style.italic) out.italic = true;
  if (style.underline) out.underline = true;
  if (style.strikethrough) out.strikethrough = true;
  if (style.dim) out.dimColor = true;
  if (style.inverse) out.inverse = true;
  return out;
}
