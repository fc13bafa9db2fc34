// Mermaid's own parser over ../mermaid-examples.mmd: each example's nodes, links and subgraphs as Mermaid reads
// them, saved to ../mermaid-parsed.json, which the tests hold the program's reader against.
import "./dom.mjs";
import mermaid from "mermaid";
import { readFileSync, writeFileSync } from "node:fs";

mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
const text = readFileSync("../mermaid-examples.mmd", "utf8");
const examples = text.split(/^%% example: /m).slice(1).map((chunk) => {
  const [name, ...body] = chunk.split("\n");
  return { name, text: body.join("\n").trimEnd() + "\n" };
});
const out = [];
for (const { name, text: body } of examples) {
  const { db } = await mermaid.mermaidAPI.getDiagramFromText(body);
  const subgraphs = db.getSubGraphs();
  const zoneIds = new Set(subgraphs.map((s) => s.id));
  out.push({
    name,
    text: body,
    nodes: [...db.getVertices().values()].filter((v) => !zoneIds.has(v.id))
      .map((v) => ({ id: v.id, text: v.text ?? v.id, shape: v.type ?? null })),
    links: db.getEdges().map((e) => ({ start: e.start, end: e.end, type: e.type, stroke: e.stroke, text: e.text ?? "" })),
    subgraphs: subgraphs.map((s) => ({ id: s.id, title: s.title, nodes: [...s.nodes] })),
  });
}
const version = JSON.parse(readFileSync("package.json", "utf8")).dependencies.mermaid;
writeFileSync("../mermaid-parsed.json", JSON.stringify({ mermaid: version, examples: out }, null, 1) + "\n");
console.log(`${out.length} examples parsed`);
