/**
 * Light, dark, or as the system says: the choice is remembered in this browser (localStorage) and
 * applied as `data-theme="light|dark"` on <html>, which styles.css reads (one palette each).
 * "System" follows `prefers-color-scheme`, also when it changes while the page is open.
 */
import { useState } from 'react';

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

const STORAGE_KEY = 'reqase-theme';
const LABELS: Record<Theme, string> = { system: 'System', light: 'Light', dark: 'Dark' };

function isTheme(value: unknown): value is Theme {
  return typeof value === 'string' && (THEMES as readonly string[]).includes(value);
}

/** The remembered choice; `system` when none (or when storage is blocked). */
export function storedTheme(): Theme {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isTheme(value) ? value : 'system';
  } catch {
    return 'system';
  }
}

const systemDark = window.matchMedia('(prefers-color-scheme: dark)');
let chosen: Theme = 'system';

function showTheme(): void {
  const dark = chosen === 'dark' || (chosen === 'system' && systemDark.matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

systemDark.addEventListener('change', showTheme);

/** Applies the theme to the page and remembers it. */
export function applyTheme(theme: Theme): void {
  chosen = theme;
  showTheme();
  try {
    if (theme === 'system') localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // Storage blocked (private mode, policy): the choice lasts until the page is closed.
  }
}

// Applied when the module loads, before the first render, so a dark page never flashes light.
applyTheme(storedTheme());

/** The header's theme picker. */
export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(storedTheme);
  return (
    <label className="theme-toggle inline">
      <span className="visually-hidden">Theme</span>
      <select
        aria-label="Theme"
        value={theme}
        onChange={(event) => {
          const next = isTheme(event.target.value) ? event.target.value : 'system';
          applyTheme(next);
          setTheme(next);
        }}
      >
        {THEMES.map((option) => (
          <option key={option} value={option}>
            {LABELS[option]}
          </option>
        ))}
      </select>
    </label>
  );
}
