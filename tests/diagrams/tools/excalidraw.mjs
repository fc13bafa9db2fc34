// A URL shortener drawn through Excalidraw's own code and saved by its own serializer: serializeAsJSON (what
// "Save to" writes) gives ../excalidraw-saved.excalidraw, exportToSvg with the scene embedded (what "Export
// image, SVG, Embed scene" writes) gives ../excalidraw-saved.excalidraw.svg. Bound labels, arrows bound at both
// ends (a straight arrow's {focus, gap} binding, an elbow arrow's {fixedPoint} one), a frame, free text, an
// ellipse and a diamond.
import "./dom.mjs";
import { convertToExcalidrawElements, exportToSvg, serializeAsJSON } from "@excalidraw/excalidraw";
import { writeFileSync } from "node:fs";

const box = (id, x, y, text, type = "rectangle") => ({ type, id, x, y, width: 160, height: 70, label: { text } });
const arrow = (id, from, to, text) => ({
  type: "arrow", id, x: 0, y: 0, start: { id: from }, end: { id: to }, ...(text ? { label: { text } } : {}),
});
const elements = convertToExcalidrawElements([
  box("clients", 0, 100, "Clients", "ellipse"),
  box("lb", 260, 100, "Load balancer"),
  box("api", 520, 100, "API servers"),
  box("redis", 780, 0, "Redis"),
  box("pg", 780, 200, "Postgres"),
  box("kafka", 520, 300, "Kafka", "diamond"),
  arrow("a1", "clients", "lb"),
  arrow("a2", "lb", "api"),
  arrow("a3", "api", "redis", "cache reads"),
  arrow("a4", "api", "pg", "writes"),
  { ...arrow("a5", "api", "kafka", "click events"), elbowed: true },
  { type: "text", id: "note", x: 0, y: 400, text: "Links never expire" },
  { type: "frame", id: "storage", x: 740, y: -40, width: 240, height: 340, name: "Storage", children: ["redis", "pg"] },
], { regenerateIds: false });
const appState = { viewBackgroundColor: "#ffffff", exportEmbedScene: true };
writeFileSync("../excalidraw-saved.excalidraw", serializeAsJSON(elements, appState, {}, "local"));
const svg = await exportToSvg({ elements, appState, files: {}, exportPadding: 10 });
writeFileSync("../excalidraw-saved.excalidraw.svg", svg.outerHTML);
console.log(`${elements.length} elements saved`);
