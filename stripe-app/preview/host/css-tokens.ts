// The SDK's `css` prop is a set of design tokens (stack, gap, padding, font, color…), not CSS.
// This turns the tokens the Dashboard documents into inline styles that look close enough.
import type { CSSProperties } from 'react';

const SPACE: Record<string, number> = { xxsmall: 2, xsmall: 4, small: 8, medium: 16, large: 24, xlarge: 32, xxlarge: 48 };
const RADIUS: Record<string, string> = { none: '0', xsmall: '2px', small: '4px', medium: '6px', large: '8px', rounded: '999px' };

export const COLOR: Record<string, string> = {
  brand: 'var(--brand)',
  primary: 'var(--text)',
  secondary: 'var(--text-secondary)',
  disabled: 'var(--text-disabled)',
  info: 'var(--info)',
  success: 'var(--success)',
  attention: 'var(--attention)',
  critical: 'var(--critical)',
};

const BORDER_COLOR: Record<string, string> = { neutral: 'var(--border)', critical: 'var(--critical)' };

export const FONT: Record<string, CSSProperties> = {
  body: { fontSize: 14, lineHeight: '20px', fontWeight: 400 },
  bodyEmphasized: { fontSize: 14, lineHeight: '20px', fontWeight: 600 },
  caption: { fontSize: 12, lineHeight: '16px', fontWeight: 400 },
  heading: { fontSize: 20, lineHeight: '28px', fontWeight: 700 },
  kicker: { fontSize: 11, lineHeight: '16px', fontWeight: 600, textTransform: 'uppercase', letterSpacing: '0.04em' },
  lead: { fontSize: 16, lineHeight: '24px', fontWeight: 400 },
  subheading: { fontSize: 16, lineHeight: '24px', fontWeight: 600 },
  subtitle: { fontSize: 16, lineHeight: '24px', fontWeight: 600 },
  title: { fontSize: 24, lineHeight: '32px', fontWeight: 700 },
};

const SHADOW: Record<string, string> = {
  none: 'none',
  base: '0 1px 2px rgba(64,68,82,.12), 0 0 0 1px rgba(64,68,82,.08)',
  top: '0 -1px 2px rgba(64,68,82,.12)',
  hover: '0 2px 5px rgba(64,68,82,.16), 0 0 0 1px rgba(64,68,82,.08)',
  focus: '0 0 0 4px rgba(1,150,237,.36)',
};

const space = (v: unknown): string | undefined =>
  typeof v === 'number' ? `${v}px` : typeof v === 'string' && v in SPACE ? `${SPACE[v]}px` : undefined;

function size(v: unknown): string | undefined {
  if (typeof v === 'number') return `${v}px`;
  if (typeof v !== 'string') return undefined;
  if (v === 'fill') return '100%';
  if (v === 'min') return 'min-content';
  if (v === 'max') return 'max-content';
  if (v === 'fit') return 'fit-content';
  if (v === 'auto') return 'auto';
  const frac = /^(\d+)\/(\d+)$/.exec(v);
  if (frac) return `${(Number(frac[1]) / Number(frac[2])) * 100}%`;
  return undefined;
}

const FLEX_ALIGN: Record<string, string> = {
  start: 'flex-start', center: 'center', end: 'flex-end', stretch: 'stretch',
  top: 'flex-start', bottom: 'flex-end', baseline: 'baseline',
};

type Tokens = Record<string, unknown>;

/** Inline styles for a Box/Inline `css` token object; `inline` lays out as inline content by default. */
export function tokensToStyle(css: Tokens | undefined, inline = false): CSSProperties {
  // Built key by key from token names, so typed loosely and cast once at the end.
  const s: Record<string, unknown> = {};
  if (!css) return {};
  const stack = css.stack as string | undefined;
  if (css.display === 'grid' || stack === 'z') {
    s.display = 'grid';
    if (typeof css.gridColumns === 'number') s.gridTemplateColumns = `repeat(${css.gridColumns}, minmax(0, 1fr))`;
    if (css.minTileWidth !== undefined) s.gridTemplateColumns = `repeat(auto-fill, minmax(${size(css.minTileWidth)}, 1fr))`;
  } else if (stack === 'x' || stack === 'y') {
    s.display = inline ? 'inline-flex' : 'flex';
    s.flexDirection = stack === 'x' ? 'row' : 'column';
    if (css.wrap) s.flexWrap = css.wrap as CSSProperties['flexWrap'];
    const main = stack === 'x' ? css.alignX : css.alignY;
    const cross = stack === 'x' ? css.alignY : css.alignX;
    if (css.distribute === 'space-between') s.justifyContent = 'space-between';
    else if (typeof main === 'string') s.justifyContent = FLEX_ALIGN[main];
    if (typeof cross === 'string') s.alignItems = FLEX_ALIGN[cross];
    else if (stack === 'x') s.alignItems = 'center';
  } else if (typeof css.alignX === 'string') {
    s.textAlign = css.alignX === 'end' ? 'right' : css.alignX === 'center' ? 'center' : 'left';
  }
  if (stack === 'z') s.gridTemplateAreas = '"stack"';
  for (const [key, cssKey] of [
    ['gap', 'gap'], ['gapX', 'columnGap'], ['gapY', 'rowGap'], ['columnGap', 'columnGap'], ['rowGap', 'rowGap'],
    ['padding', 'padding'], ['paddingX', 'paddingInline'], ['paddingY', 'paddingBlock'],
    ['paddingTop', 'paddingTop'], ['paddingBottom', 'paddingBottom'], ['paddingLeft', 'paddingLeft'], ['paddingRight', 'paddingRight'],
    ['margin', 'margin'], ['marginX', 'marginInline'], ['marginY', 'marginBlock'],
    ['marginTop', 'marginTop'], ['marginBottom', 'marginBottom'], ['marginLeft', 'marginLeft'], ['marginRight', 'marginRight'],
    ['top', 'top'], ['bottom', 'bottom'], ['left', 'left'], ['right', 'right'], ['inset', 'inset'],
  ] as const) {
    const v = space(css[key]);
    if (v !== undefined) s[cssKey] = v;
  }
  for (const key of ['width', 'height', 'minWidth', 'maxWidth', 'minHeight', 'maxHeight'] as const) {
    const v = size(css[key]);
    if (v !== undefined) s[key] = v;
  }
  if (css.alignSelfX) s.justifySelf = FLEX_ALIGN[css.alignSelfX as string];
  if (css.alignSelfY) s.alignSelf = FLEX_ALIGN[css.alignSelfY as string];
  if (typeof css.font === 'string') Object.assign(s, FONT[css.font]);
  if (css.fontWeight) s.fontWeight = css.fontWeight === 'regular' ? 400 : css.fontWeight === 'semibold' ? 600 : 700;
  if (css.fontFamily === 'monospace') s.fontFamily = 'var(--mono)';
  if (typeof css.color === 'string') s.color = COLOR[css.color];
  if (typeof css.fill === 'string') s.fill = COLOR[css.fill];
  if (css.backgroundColor === 'container') s.background = 'var(--container)';
  if (css.backgroundColor === 'surface') s.background = 'var(--surface)';
  if (typeof css.boxShadow === 'string') s.boxShadow = SHADOW[css.boxShadow];
  if (typeof css.borderRadius === 'string') s.borderRadius = RADIUS[css.borderRadius];
  for (const corner of ['TopLeft', 'TopRight', 'BottomLeft', 'BottomRight'] as const) {
    const v = css[`border${corner}Radius`];
    if (typeof v === 'string') s[`border${corner}Radius`] = RADIUS[v];
  }
  for (const side of ['', 'Top', 'Bottom', 'Left', 'Right'] as const) {
    const width = css[`border${side}Width`];
    const style = css[`border${side}Style`];
    const color = css[`border${side}Color`];
    if (width !== undefined || style !== undefined || color !== undefined) {
      s[`border${side}Width`] = `${typeof width === 'number' ? width : 1}px`;
      s[`border${side}Style`] = (style as string) ?? 'solid';
      s[`border${side}Color`] = BORDER_COLOR[(color as string) ?? 'neutral'];
    }
  }
  if (typeof css.keyline === 'string') s.border = `1px solid ${BORDER_COLOR[css.keyline]}`;
  for (const key of ['overflow', 'overflowX', 'overflowY', 'whiteSpace', 'wordBreak', 'overflowWrap', 'textTransform'] as const) {
    if (typeof css[key] === 'string') s[key] = css[key];
  }
  if (css.wordWrap) s.overflowWrap = css.wordWrap as CSSProperties['overflowWrap'];
  if (css.textAlign) s.textAlign = css.textAlign as CSSProperties['textAlign'];
  if (css.textOverflow === 'ellipsis') Object.assign(s, { textOverflow: 'ellipsis', overflow: 'hidden', whiteSpace: 'nowrap' });
  if (css.zIndex === 'overlay') s.zIndex = 10;
  if (css.zIndex === 'partial') s.zIndex = 5;
  return s as CSSProperties;
}
