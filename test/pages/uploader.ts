/**
 * A bare page with <dropoff-uploader>, configured from the query string (`endpoint`, `token`, `destination`), for
 * tests that drive a real page with Playwright (reloads included).
 */
import '../../src/element/dropoff-uploader.ts';

const params = new URLSearchParams(location.search);
const uploader = document.querySelector('dropoff-uploader')!;
uploader.endpoint = params.get('endpoint') ?? '';
uploader.token = params.get('token') ?? '';
uploader.destination = params.get('destination') ?? '';
