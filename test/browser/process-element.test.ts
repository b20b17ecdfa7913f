/**
 * Processing from the page, against the reference server on Ceph RGW: `<dropoff-uploader process-after>` uploads real
 * miniSEED files (libmseed's example), starts processing once the batch is done, and reports the task through
 * `dropoff-processing` and `dropoff-task` to its end; `<dropoff-browser>` on the same page shows the task and its
 * result. Starting on a prefix with nothing staged fires `dropoff-processing-error`.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../src/element/dropoff-uploader.ts';
import '../../src/element/dropoff-browser.ts';
import type { DropoffUploader } from '../../src/element/dropoff-uploader.ts';
import type { DropoffBrowser } from '../../src/element/dropoff-browser.ts';
import type { ProcessingStarted, ProcessingTask } from '../../src/protocol/processing-api.ts';
import type { ProcessingErrorDetail, TaskDetail } from '../../src/element/processing.ts';
import { ALICE } from '../support/test-users.ts';
import { nextEvent, stacks, uniquePrefix } from '../support/browser-helpers.ts';

describe('processing from the page', () => {
  it('processes a finished batch (process-after), follows its task to the end, and <dropoff-browser> shows it', async () => {
    const serverUrl = (await stacks()).ceph.serverUrl;
    const prefix = uniquePrefix(ALICE.space, 'process');
    const base64 = (await executeServerCommand('dropoff-libmseed-example')) as string;
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const page = await fixture<HTMLDivElement>(html`<div>
      <dropoff-uploader endpoint=${serverUrl} token=${ALICE.token} destination=${prefix} category="miniseed" process-after no-resume multiple></dropoff-uploader>
      <dropoff-browser endpoint=${serverUrl} token=${ALICE.token} prefix=${prefix} poll-interval="300"></dropoff-browser>
    </div>`);
    const uploader = page.querySelector<DropoffUploader>('dropoff-uploader')!;
    const browser = page.querySelector<DropoffBrowser>('dropoff-browser')!;

    const started = nextEvent<ProcessingStarted>(uploader, 'dropoff-processing');
    const updates: ProcessingTask[] = [];
    const ended = new Promise<ProcessingTask>((resolve) => uploader.addEventListener('dropoff-task', (event: CustomEvent<TaskDetail>) => {
      updates.push(event.detail.task);
      if (event.detail.task.status === 'succeeded' || event.detail.task.status === 'failed') resolve(event.detail.task);
    }));
    // Listened for from the start: the browser stops looking once the task has ended, which may be before it does.
    const shown = nextEvent<{ tasks: ProcessingTask[] }>(browser, 'dropoff-browser-tasks', (detail) => detail.tasks.some((t) => t.prefix === prefix && t.status === 'succeeded'), 120_000);
    uploader.addFiles([new File([bytes], 'a.mseed'), new File([bytes], 'b.mseed')]);

    const answer = await started;
    expect(answer.prefix).to.equal(prefix);
    expect(answer.tasks.map((t) => [t.processor, t.objects])).to.deep.equal([['miniseed', 2]]);
    const id = answer['miniseed_task_id'];
    expect(id).to.equal(answer.tasks[0]!.id);
    const task = await ended;
    expect(task.id).to.equal(id);
    expect(task.status, task.error ?? '').to.equal('succeeded');
    expect(task.summary).to.equal('2 objects, 1 stream, 72 records');
    expect(updates.every((u) => u.id === id)).to.equal(true);
    const streams = (task.result as { streams: { network: string; station: string; firstSample: string; lastSample: string; records: number }[] }).streams;
    expect(streams).to.deep.equal([{
      network: 'IU', station: 'COLA', location: '00', channel: 'LHZ', firstSample: '2010-02-27T06:50:00.069539Z', lastSample: '2010-02-27T07:59:59.069538Z',
      records: 72, samples: 8400, sampleRate: 1,
    }]);

    // The browser heard the uploader start processing, and follows the task until it ended.
    await shown;
    await browser.updateComplete;
    const row = browser.shadowRoot!.querySelector(`section[part=tasks] tr[data-task="${id}"]`)!;
    expect(row.textContent).to.contain('miniseed');
    expect(row.textContent).to.contain(prefix);
    expect(row.textContent).to.contain('Succeeded');
    expect(row.textContent).to.contain('2 objects, 1 stream, 72 records');

    const failed = nextEvent<ProcessingErrorDetail>(uploader, 'dropoff-processing-error');
    let rejected: unknown;
    await uploader.startProcessing(`${prefix}nothing-here/`).catch((error: unknown) => { rejected = error; });
    expect((await failed).code).to.equal('nothing_to_process');
    expect((rejected as Error).message).to.contain('Nothing is staged under');
  });
});
