/**
 * The public custom properties both elements share, with their defaults on :host, light and dark.
 */
import { css } from 'lit';

/** Custom properties with defaults (light, and dark under prefers-color-scheme), and the host's font and colours. */
export const themeTokens = css`
  :host {
    --dropoff-font: system-ui, sans-serif;
    --dropoff-color: #1f2328;
    --dropoff-muted-color: #59636e;
    --dropoff-background: #ffffff;
    --dropoff-accent: #0a66c2;
    --dropoff-error-color: #b42318;
    --dropoff-success-color: #1a7f37;
    --dropoff-border-color: #c7ced6;
    --dropoff-radius: 8px;
    --dropoff-spacing: 0.75rem;
    display: block;
    font-family: var(--dropoff-font);
    color: var(--dropoff-color);
    background: var(--dropoff-background);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --dropoff-color: #e6edf3;
      --dropoff-muted-color: #9198a1;
      --dropoff-background: #0d1117;
      --dropoff-accent: #4493f8;
      --dropoff-error-color: #f85149;
      --dropoff-success-color: #3fb950;
      --dropoff-border-color: #3d444d;
    }
  }
`;
