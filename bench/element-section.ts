/**
 * The bench section "1,000 mixed files through the element": rounds of bench/element-many.ts (the engine alone, then
 * <dropoff-uploader>, order alternating), printed as medians with the slowest round, and the element's ratio to the
 * engine from each round.
 */
import type { Browser } from 'playwright-core';
import { benchElementMany, writeMixedFiles, type ManyFilesRun } from './element-many.ts';
import { median } from './stats.ts';

/** What the section needs from the harness. */
export interface ElementSectionOptions {
  readonly browser: Browser;
  /** Origin of the bench's Vite server. */
  readonly origin: string;
  /** A scratch folder for the files. */
  readonly dir: string;
  /** The reference server (the `npm start` kind: s3rver) and a token of its. */
  readonly serverUrl: string;
  readonly token: string;
  readonly rounds: number;
  readonly report: (line: string) => void;
}

/** Runs the section and prints its table. */
export async function runElementSection(options: ElementSectionOptions): Promise<void> {
  const files = await writeMixedFiles(options.dir);
  const page = await options.browser.newPage();
  if (process.env.BENCH_CONSOLE) page.on('console', (m) => console.log('ELEMENT PAGE', m.text()));
  await page.goto(`${options.origin}/bench/page.html`);
  const rounds: { element: ManyFilesRun; engine: ManyFilesRun; ratio: number }[] = [];
  for (let round = 0; round < options.rounds; round++) {
    rounds.push(await benchElementMany(page, {
      serverUrl: options.serverUrl, token: options.token, files, keyPrefix: 'alice/bench/element/',
      order: round % 2 ? 'element-first' : 'engine-first',
    }));
  }
  await page.close();
  const fmt = (n: number, digits = 1) => n.toFixed(digits);
  const row = (label: string, pick: (r: (typeof rounds)[number]) => ManyFilesRun) => {
    const runs = rounds.map(pick);
    const rates = runs.map((r) => r.filesPerSecond);
    options.report(`| ${label} | ${fmt(median(rates))} (slowest ${fmt(Math.min(...rates))}) | ${fmt(median(runs.map((r) => r.longTasks)), 0)} | ${fmt(Math.max(...runs.map((r) => r.longestTaskMs)), 0)} ms | ${fmt(Math.max(...runs.map((r) => r.deliveryTaskMs)), 0)} ms | ${fmt(Math.max(...runs.map((r) => r.peakHeapMiB)))} MiB |`);
  };
  options.report('| | files/s median | long tasks after adding (median) | longest (any round) | task that delivered the files | peak JS heap |');
  options.report('| --- | --- | --- | --- | --- | --- |');
  row('engine alone (UploadEngine.add)', (r) => r.engine);
  row('<dropoff-uploader>', (r) => r.element);
  options.report(`element / engine, round by round: ${rounds.map((r) => fmt(r.ratio, 2)).join(', ')} (median ${fmt(median(rounds.map((r) => r.ratio)), 2)})`);
}
