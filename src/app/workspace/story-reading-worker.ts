/**
 * The worker thread of `readStoriesOffThread`: reads the stories of `workerData`, then posts them
 * a batch at a time, the next when the parent asks for it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  describeReadingError,
  readStories,
  STORIES_PER_MESSAGE,
  type ReadStories,
  type StoryReadingInput,
  type StoryReadingMessage,
} from './story-reading.ts';

const port = parentPort;
if (port) {
  let read: ReadStories | undefined;
  try {
    read = readStories(workerData as StoryReadingInput);
  } catch (error) {
    port.postMessage(describeReadingError(error) satisfies StoryReadingMessage);
  }
  if (read) {
    const { stories, ...rest } = read;
    let index = 0;
    const sendNext = () => {
      if (index >= stories.length) {
        port.postMessage({ kind: 'read', ...rest } satisfies StoryReadingMessage);
        port.close();
        return;
      }
      const batch = stories.slice(index, index + STORIES_PER_MESSAGE);
      index += STORIES_PER_MESSAGE;
      port.postMessage({ kind: 'stories', stories: batch } satisfies StoryReadingMessage);
    };
    port.on('message', sendNext);
    sendNext();
  }
}
