/** The worker thread of `readStoriesOffThread`: reads the stories of `workerData` and posts them back. */
import { parentPort, workerData } from 'node:worker_threads';
import {
  describeReadingError,
  readStories,
  type StoryReadingInput,
  type StoryReadingMessage,
} from './story-reading.ts';

let message: StoryReadingMessage;
try {
  message = { ok: true, value: readStories(workerData as StoryReadingInput) };
} catch (error) {
  message = describeReadingError(error);
}
parentPort?.postMessage(message);
