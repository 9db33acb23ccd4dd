/**
 * An index of keys by folder, so listing one folder costs the size of that folder rather than
 * the size of the whole key space. For every folder prefix ('' for the root, 'a/', 'a/b/', ...)
 * it keeps the immediate children: leaf names, and sub-folder names ending in '/', each with the
 * number of keys it stands for (1 for a leaf), so a folder disappears with its last key.
 *
 * list(prefix) gives exactly the answer of `childrenOf(prefix, allKeys)` from types.ts.
 */
export interface FolderIndex {
  /** Records a key that is not yet present. */
  add(key: string): void;
  /** Forgets a key that is present. */
  remove(key: string): void;
  list(prefix: string): string[];
}

export function createFolderIndex(): FolderIndex {
  const folders = new Map<string, Map<string, number>>();

  /** Calls visit(folder, childName) for each folder on the way down to the key's leaf. */
  function walk(key: string, visit: (folder: string, child: string) => void): void {
    let start = 0;
    for (;;) {
      const slash = key.indexOf('/', start);
      if (slash === -1) {
        visit(key.slice(0, start), key.slice(start));
        return;
      }
      visit(key.slice(0, start), key.slice(start, slash + 1));
      start = slash + 1;
    }
  }

  return {
    add(key) {
      walk(key, (folder, child) => {
        let children = folders.get(folder);
        if (children === undefined) folders.set(folder, (children = new Map()));
        children.set(child, (children.get(child) ?? 0) + 1);
      });
    },
    remove(key) {
      walk(key, (folder, child) => {
        const children = folders.get(folder);
        const count = children?.get(child);
        if (children === undefined || count === undefined) return;
        if (count > 1) children.set(child, count - 1);
        else {
          children.delete(child);
          if (children.size === 0) folders.delete(folder);
        }
      });
    },
    list(prefix) {
      // The prefix is literal: 'a/fo' lists what follows 'a/fo' among the children of 'a/'.
      const cut = prefix.lastIndexOf('/') + 1;
      const children = folders.get(prefix.slice(0, cut));
      if (children === undefined) return [];
      const rest = prefix.slice(cut);
      const out: string[] = [];
      for (const child of children.keys()) {
        // A key ending in '/' leaves an empty leaf name in its folder: Vault does not list it.
        if (child.length > rest.length && child.startsWith(rest)) out.push(child.slice(rest.length));
      }
      return out.sort();
    },
  };
}
