import { isMap, YAMLMap, type Document } from 'yaml';

/** A top-level mapping of config.yaml as plain data (`{}` when absent or empty). */
export function readYamlSection(document: Document, name: string): Record<string, unknown> {
  const node = document.get(name);
  return isMap(node) ? (node.toJSON() as Record<string, unknown>) : {};
}

/** Sets (in flow style, as small settings are hand-written) or, given undefined, deletes one entry of a top-level mapping; an emptied mapping goes. */
export function writeYamlSectionEntry(document: Document, name: string, key: string, value: unknown): void {
  let node = document.get(name);
  if (!isMap(node)) {
    if (value === undefined) return;
    node = new YAMLMap();
    document.set(name, node);
  }
  const section = node as YAMLMap;
  if (value === undefined) section.delete(key);
  else section.set(key, document.createNode(value, { flow: true }));
  if (section.items.length === 0) document.delete(name);
}
