import { clampPanel } from './usePanelSizes';

describe('clampPanel', () => {
  it('keeps each panel within its limits', () => {
    expect(clampPanel('sidebar', 40)).toBe(180);
    expect(clampPanel('inspector', 2000)).toBe(640);
    expect(clampPanel('sidebar', 300.4)).toBe(300);
  });
  it('never lets the dock push the canvas out of a short window', () => {
    expect(clampPanel('dock', 800, 900)).toBe(680);
    expect(clampPanel('dock', 800, 200)).toBe(120);
  });
});
