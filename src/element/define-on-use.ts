/**
 * Defines a custom element only when a page first uses its tag: the one-file bundle carries <dropoff-browser> as a
 * chunk beside it this way, so a page with only the uploader never downloads it. Tags in the document (present or
 * added later) are noticed; a tag rendered inside another component's shadow root is not, so such pages call the
 * loader themselves (`loadDropoffBrowser()`).
 */

/** Calls `load` once, as soon as an element named `tag` is in the document (now or later). */
export function defineOnUse(tag: string, load: () => Promise<unknown>): () => Promise<unknown> {
  let loading: Promise<unknown> | undefined;
  let observer: MutationObserver | undefined;
  const once = () => {
    observer?.disconnect();
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      console.warn(`<${tag}> could not be loaded: ${(error as Error).message}`);
    });
    return loading;
  };
  if (typeof document === 'undefined' || customElements.get(tag)) return once;
  if (document.getElementsByTagName(tag).length) {
    void once();
    return once;
  }
  const found = (node: Node) => node instanceof Element && (node.localName === tag || node.getElementsByTagName(tag).length > 0);
  observer = new MutationObserver((records) => {
    if (records.some((record) => Array.from(record.addedNodes).some(found))) void once();
  });
  observer.observe(document, { childList: true, subtree: true });
  return once;
}
