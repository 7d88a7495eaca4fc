import { isNode, LineCounter, type Document } from 'yaml';

/** `file:line:col` of the YAML node at a key path, as far as the path exists. */
export function locateKey(document: Document, lineCounter: LineCounter, file: string, path: readonly PropertyKey[]): string {
  for (let length = path.length; length >= 0; length--) {
    const node = document.getIn(path.slice(0, length) as unknown[], true);
    if (isNode(node) && node.range) {
      const { line, col } = lineCounter.linePos(node.range[0]);
      return `${file}:${line}:${col}`;
    }
  }
  return file;
}

/** `claude-api-key[0].base-url` */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text ? `.${String(key)}` : String(key);
  }
  return text || '(root)';
}
