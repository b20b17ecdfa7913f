/**
 * `npm start`: the local stack (s3rver + reference server) and the demo page. Ctrl-C stops all of it.
 */
import { startDemo } from './stack/demo-stack.ts';

// The AWS SDK's notice that its 2027 releases need Node 22 says nothing about this run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const demo = await startDemo({}, (line) => console.log(`[server] ${line}`));
console.log(`
dropoff-uploader demo is running:
  demo page         ${demo.pageUrl}
  reference server  ${demo.stack.serverUrl}  (token: ${process.env.VITE_DROPOFF_TOKEN})
  local S3 (s3rver) ${demo.stack.s3.endpoint}  bucket "${demo.stack.s3.bucket}", data in .data/s3rver
Press Ctrl-C to stop.`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  await demo.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
