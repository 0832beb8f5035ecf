import { useEffect, useState } from 'react';

/** The stylesheet's colours the charts draw with, read from its CSS variables. */
export interface ChartColours {
  text: string;
  muted: string;
  line: string;
  surface: string;
  accent: string;
  accentDark: string;
  ok: string;
  warn: string;
  bad: string;
}

const variables: Record<keyof ChartColours, string> = {
  text: '--text',
  muted: '--muted',
  line: '--line',
  surface: '--surface',
  accent: '--accent',
  accentDark: '--accent-dark',
  ok: '--ok',
  warn: '--warn',
  bad: '--bad',
};

function readColours(): ChartColours {
  const style = getComputedStyle(document.documentElement);
  const colours = {} as ChartColours;
  for (const [name, variable] of Object.entries(variables) as [keyof ChartColours, string][])
    colours[name] = style.getPropertyValue(variable).trim() || 'gray';
  return colours;
}

/**
 * The chart colours, read again when the colour scheme changes: the system's setting, or the
 * app's own choice (an attribute or class on the root element), so charts stay readable in dark mode.
 */
export function useChartColours(): ChartColours {
  const [colours, setColours] = useState(readColours);
  useEffect(() => {
    const update = () => setColours(readColours());
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    scheme.addEventListener('change', update);
    const observer = new MutationObserver(update);
    observer.observe(document.documentElement, { attributes: true });
    observer.observe(document.body, { attributes: true });
    return () => {
      scheme.removeEventListener('change', update);
      observer.disconnect();
    };
  }, []);
  return colours;
}

/** Colours for a list of series (providers), cycling through the stylesheet's. */
export function seriesColours(colours: ChartColours, count: number): string[] {
  const palette = [colours.accent, colours.ok, colours.warn, colours.bad, colours.accentDark, colours.muted];
  return Array.from({ length: count }, (_, index) => palette[index % palette.length]!);
}
