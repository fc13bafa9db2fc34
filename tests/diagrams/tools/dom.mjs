// A browser's globals from jsdom, enough for Excalidraw's and Mermaid's own code to run under Node: jsdom has
// no canvas, so a 2D context whose drawing calls do nothing and whose text is 8 px a character.
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>", { url: "http://localhost/", pretendToBeVisual: true });
for (const key of Object.getOwnPropertyNames(dom.window)) {
  if (globalThis[key] === undefined) {
    try { globalThis[key] = dom.window[key]; } catch { /* read-only in Node: keep Node's own */ }
  }
}
globalThis.window = dom.window;
globalThis.document = dom.window.document;
Object.defineProperty(globalThis, "navigator", { value: dom.window.navigator, configurable: true });

const context = new Proxy({
  filter: "none",
  measureText: (text) => ({ width: 8 * String(text).length, actualBoundingBoxAscent: 10, actualBoundingBoxDescent: 3 }),
}, {
  get: (target, key) => (key in target ? target[key] : () => {}),
  set: (target, key, value) => { target[key] = value; return true; },
  has: () => true,
});
dom.window.HTMLCanvasElement.prototype.getContext = () => context;
globalThis.FontFace = class { constructor(family) { this.family = family; } load() { return Promise.resolve(this); } };
Object.defineProperty(document, "fonts", {
  value: { add() {}, check: () => true, load: () => Promise.resolve([]), ready: Promise.resolve(), addEventListener() {} },
});
