/**
 * `dropoff-uploader/vue`: what a Vue 3 app needs besides importing `dropoff-uploader` (which defines the elements):
 * `isCustomElement` for the template compiler, and the elements' props and events typed for templates (vue-tsc,
 * Volar) through Vue's `GlobalComponents`. Nothing here imports Vue or the elements at run time, so a vite.config can
 * import it.
 */
import type { HTMLAttributes } from 'vue';
import type { DropoffUploader } from '../element/dropoff-uploader.ts';
import type { DropoffBrowser } from '../element/dropoff-browser.ts';

/** For `compilerOptions.isCustomElement`: true for the dropoff elements' tags, so Vue leaves them to the browser. */
export function isCustomElement(tag: string): boolean {
  return tag === 'dropoff-uploader' || tag === 'dropoff-browser';
}

/** `dropoff-complete` -> `DropoffComplete`. */
type Pascal<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Capitalize<Head>}${Pascal<Tail>}` : Capitalize<S>;

/** The element's events whose names start with `prefix`, as Vue's `onX` handler props (`@dropoff-complete`). */
type EventProps<Prefix extends string, Not extends string = never> = {
  [K in keyof HTMLElementEventMap as K extends `${Not}${string}` ? never : K extends `${Prefix}${string}` ? `on${Pascal<K & string>}` : never]?:
    (event: HTMLElementEventMap[K]) => void;
};

/** The public properties of an element, as template props. */
type ElementProps<E, Keys extends keyof E> = Partial<Pick<E, Keys>>;

/** What a template may set on `<dropoff-uploader>`. */
export type DropoffUploaderProps = HTMLAttributes & EventProps<'dropoff-', 'dropoff-browser-'> & ElementProps<DropoffUploader,
  'endpoint' | 'category' | 'destination' | 'partSize' | 'partConcurrency' | 'objectConcurrency' | 'maxRetries' | 'accept'
  | 'maxFileSize' | 'maxFiles' | 'multiple' | 'directory' | 'token' | 'getToken' | 'noAutoStart' | 'takeOver' | 'noResume'
  | 'disabled' | 'strings'>;

/** What a template may set on `<dropoff-browser>`. */
export type DropoffBrowserProps = HTMLAttributes & EventProps<'dropoff-browser-'> & ElementProps<DropoffBrowser,
  'endpoint' | 'prefix' | 'token' | 'getToken' | 'pageSize' | 'pollInterval' | 'strings'>;

/** A custom element as Vue's template type checker sees a component: the element instance, with `$props`. */
type VueCustomElement<E extends HTMLElement, Props> = new () => E & {
  /** For template type checking only. */
  $props: Props;
};

declare module 'vue' {
  interface GlobalComponents {
    'dropoff-uploader': VueCustomElement<DropoffUploader, DropoffUploaderProps>;
    'dropoff-browser': VueCustomElement<DropoffBrowser, DropoffBrowserProps>;
  }
}
