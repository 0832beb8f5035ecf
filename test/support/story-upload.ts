/**
 * A large story import over HTTP, shared by the import responsiveness test and the import
 * benchmark: a JSON file of many stories, sent as a multipart upload over node:http.
 */
import { request } from 'node:http';

/** `count` small stories as the JSON file an import takes. */
export function storyFile(count: number): string {
  return JSON.stringify(
    Array.from({ length: count }, (_, index) => ({
      key: `BIG-${index + 1}`,
      summary: `Story ${index + 1}`,
      description: `As shopper ${index + 1} I want to pay so that I get my order.`,
      acceptanceCriteria: ['Card payments are accepted', 'Declined cards show an error'],
    })),
  );
}

/** A multipart upload over node:http: `uploaded` settles once the whole body was handed over. */
export function uploadStories(url: string, content: string) {
  const boundary = `----reqase${Date.now()}`;
  const body = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="stories.json"\r\n` +
      `Content-Type: application/json\r\n\r\n${content}\r\n--${boundary}--\r\n`,
  );
  let markUploaded!: () => void;
  const uploaded = new Promise<void>((resolve) => (markUploaded = resolve));
  const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': body.length,
        },
      },
      (incoming) => {
        let text = '';
        incoming.setEncoding('utf8');
        incoming.on('data', (chunk: string) => (text += chunk));
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, text }));
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body, () => markUploaded());
  });
  return { uploaded, response };
}
