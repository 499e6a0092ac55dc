// jsdom lacks what React Flow and recharts measure with; these are the shims React Flow's testing guide uses.
import '@testing-library/jest-dom';

class ResizeObserverShim {
  constructor(private readonly callback: ResizeObserverCallback) {}
  observe(target: Element) {
    this.callback([{ target, contentRect: { width: 800, height: 600 } } as unknown as ResizeObserverEntry], this as unknown as ResizeObserver);
  }
  unobserve() {}
  disconnect() {}
}

class DOMMatrixReadOnlyShim {
  m22: number;
  constructor(transform?: string) {
    const scale = transform?.match(/scale\(([1-9.])\)/)?.[1];
    this.m22 = scale !== undefined ? +scale : 1;
  }
}

Object.assign(globalThis, { ResizeObserver: ResizeObserverShim, DOMMatrixReadOnly: DOMMatrixReadOnlyShim });

Object.defineProperties(HTMLElement.prototype, {
  offsetHeight: { get() { return parseFloat(this.style.height) || 1; } },
  offsetWidth: { get() { return parseFloat(this.style.width) || 1; } },
});
(SVGElement.prototype as unknown as { getBBox: () => DOMRect }).getBBox = () => ({ x: 0, y: 0, width: 0, height: 0 }) as DOMRect;

// jsdom does not expose Node's structuredClone; dagre uses it
if (typeof globalThis.structuredClone !== 'function') {
  const v8 = require('node:v8') as typeof import('node:v8');
  globalThis.structuredClone = (<T,>(value: T): T => v8.deserialize(v8.serialize(value))) as typeof structuredClone;
}
